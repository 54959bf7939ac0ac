import { lookup as dnsLookup } from "node:dns/promises";
import type { LookupFunction } from "node:net";
import { LRUCache } from "lru-cache";
import { Agent, request } from "undici";
import { type AddressPolicy, normalizeAddress, refusalOf } from "./address-policy.ts";

/**
 * One outbound webhook request under the SSRF policy: the host is resolved
 * here, every address it resolves to must be allowed (`address-policy.ts`),
 * and the connection is pinned to the address that was checked (the socket's
 * `lookup` answers with it), so a DNS answer that changes between the check
 * and the connection (rebinding) changes nothing. Connections are kept open
 * between attempts to the same checked address. Redirects are followed by
 * hand, each hop checked the same way, re-sending the same POST.
 */

export interface OutboundRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  policy: AddressPolicy;
  /** For the whole attempt, redirects included. */
  timeoutMs: number;
  /** Aborted when the process shuts down. */
  signal?: AbortSignal;
  /** Tests resolve names their own way. */
  resolve?: (host: string) => Promise<{ address: string; family: number }[]>;
}

export interface OutboundResult {
  ok: boolean;
  statusCode: number | null;
  /** The first kilobyte of the answer, as text. */
  body: string | null;
  /** Why the attempt failed, for the operator; null when it succeeded. */
  error: string | null;
  /** The URL of the last request made (after redirects). */
  url: string;
  durationMs: number;
}

const MAX_REDIRECTS = 5;
export const RESPONSE_BODY_BYTES = 1024;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

class Refused extends Error {}

const systemResolve = (host: string) => dnsLookup(host, { all: true, verbatim: true });

/** The address to connect to for `url`, after checking every address the host resolves to. */
async function checkedAddress(url: URL, request: OutboundRequest): Promise<{ address: string; family: number }> {
  const host = url.hostname;
  const literal = normalizeAddress(host);
  const addresses = literal
    ? [{ address: literal, family: literal.includes(":") ? 6 : 4 }]
    : await (request.resolve ?? systemResolve)(host).catch((error: NodeJS.ErrnoException) => {
        throw new Refused(`${host} could not be resolved (${error.code ?? error.message})`);
      });
  if (addresses.length === 0) throw new Refused(`${host} resolves to no address`);
  // Every address, not only the first: the one the socket would pick is not ours to guess.
  for (const { address } of addresses) {
    const refusal = refusalOf(request.policy, host, address);
    if (refusal) throw new Refused(`refused: ${refusal}`);
  }
  const [first] = addresses as [{ address: string; family: number }];
  return { address: normalizeAddress(first.address) ?? first.address, family: first.family };
}

/**
 * Dispatchers kept between attempts, one per checked address (and timeout): a
 * connection is reused only for the address it was opened to, so keeping it
 * alive gives DNS no way back in. Idle connections close after a few seconds;
 * past `MAX_KEPT_AGENTS` addresses the least recently used one is closed.
 */
const MAX_KEPT_AGENTS = 64;
const KEEP_ALIVE_MS = 4_000;
const keptAgents = new LRUCache<string, Agent>({
  max: MAX_KEPT_AGENTS,
  // Closed once its requests in flight, if any, have finished.
  dispose: (agent) => void agent.close().catch(() => {}),
});

/** A dispatcher whose every connection goes to `pinned`, whatever name it is for. */
function pinnedAgent(pinned: { address: string; family: number }, timeoutMs: number): Agent {
  const key = `${pinned.family}|${pinned.address}|${timeoutMs}`;
  const kept = keptAgents.get(key);
  if (kept) return kept;
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
  const agent = new Agent({
    connect: { lookup, timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    keepAliveTimeout: KEEP_ALIVE_MS,
    keepAliveMaxTimeout: KEEP_ALIVE_MS,
  });
  keptAgents.set(key, agent);
  return agent;
}

/** Closes every kept connection once its request, if any, has finished (on shutdown; idle ones would close anyway). */
export async function closeWebhookConnections(): Promise<void> {
  const agents = [...keptAgents.values()];
  keptAgents.clear();
  await Promise.all(agents.map((agent) => agent.close().catch(() => {})));
}

async function firstBytes(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    length += chunk.length;
    if (length >= RESPONSE_BODY_BYTES) break;
  }
  // Cut on a byte boundary; a split character becomes U+FFFD.
  return Buffer.concat(chunks).subarray(0, RESPONSE_BODY_BYTES).toString("utf8");
}

function describeFailure(error: unknown, timeoutMs: number, signal: AbortSignal | undefined): string {
  if (error instanceof Refused) return error.message;
  if (signal?.aborted) return "Inkwell shut down during this attempt";
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = (error as { code?: string }).code ?? cause?.code;
  if (
    (error as Error).name === "TimeoutError" ||
    code === "UND_ERR_HEADERS_TIMEOUT" ||
    code === "UND_ERR_BODY_TIMEOUT" ||
    code === "UND_ERR_CONNECT_TIMEOUT"
  ) {
    return `no answer within ${timeoutMs / 1000} s`;
  }
  const message = (error as Error).message ?? String(error);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

/** POSTs the body to the URL (and where it redirects), within the policy and the timeout; never throws. */
export async function sendWebhookRequest(outbound: OutboundRequest): Promise<OutboundResult> {
  const started = performance.now();
  const timeout = AbortSignal.timeout(outbound.timeoutMs);
  const signal = outbound.signal ? AbortSignal.any([timeout, outbound.signal]) : timeout;
  let url = new URL(outbound.url);
  const result = (fields: Omit<OutboundResult, "url" | "durationMs">): OutboundResult => ({
    ...fields,
    url: url.toString(),
    durationMs: Math.round(performance.now() - started),
  });
  try {
    for (let hop = 0; ; hop++) {
      if (url.protocol !== "http:" && url.protocol !== "https:") {
        throw new Refused(`refused: a redirect to ${url.protocol} (webhooks use http and https only)`);
      }
      const answer = await request(url, {
        method: "POST",
        headers: outbound.headers,
        body: outbound.body,
        dispatcher: pinnedAgent(await checkedAddress(url, outbound), outbound.timeoutMs),
        signal,
      });
      const location = answer.headers.location;
      if (REDIRECTS.has(answer.statusCode) && typeof location === "string") {
        await answer.body.dump();
        if (hop >= MAX_REDIRECTS) {
          return result({
            ok: false,
            statusCode: answer.statusCode,
            body: null,
            error: `more than ${MAX_REDIRECTS} redirects`,
          });
        }
        url = new URL(location, url);
        continue;
      }
      // Past the first kilobyte the answer is dropped, and its connection with it; a shorter one keeps it open.
      const body = await firstBytes(answer.body);
      const ok = answer.statusCode >= 200 && answer.statusCode < 300;
      return result({
        ok,
        statusCode: answer.statusCode,
        body,
        error: ok ? null : `answered ${answer.statusCode}`,
      });
    }
  } catch (error) {
    return result({
      ok: false,
      statusCode: null,
      body: null,
      error: describeFailure(error, outbound.timeoutMs, outbound.signal),
    });
  }
}
