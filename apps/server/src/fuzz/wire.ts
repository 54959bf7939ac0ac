import superjson from "superjson";
import type { ProcedureType } from "./procedures.ts";

/**
 * What one call carries, as a client would put it on the wire:
 * - `value`: any JavaScript value, serialized by superjson like @trpc/client does;
 * - `envelope`: a superjson envelope written by hand (a client that lies about types);
 * - `text`: raw text where the JSON should be (for GET, inserted into the URL as is).
 */
export type Payload = { value: unknown } | { envelope: unknown } | { text: string };

export interface Call {
  path: string;
  type: ProcedureType;
  payload: Payload;
}

export interface WireRequest {
  calls: Call[];
  headers: Record<string, string>;
  requestId: string;
}

/** One call's answer: its own status (from the batch item when batched) and the tRPC error code if any. */
export interface CallAnswer {
  httpStatus: number;
  errorCode: string | null;
  /** The call's part of the body: its batch item, or the whole body. */
  body: string;
}

export interface WireResponse {
  method: "GET" | "POST";
  url: string;
  status: number;
  body: string;
  answers: CallAnswer[];
  /** Set when no HTTP answer came (connection reset, client timeout). */
  transportError?: string;
  /** Set when the server closed a connection it had kept alive, so the client's next request on it failed. */
  brokenConnection?: string;
}

/**
 * superjson's envelope, as @trpc/client sends it. superjson refuses to
 * serialize objects with `__proto__`, `constructor` or `prototype` keys; a
 * client without it sends them anyway, as plain JSON.
 */
export function serialize(value: unknown): { json?: unknown; meta?: unknown } {
  try {
    return superjson.serialize(value);
  } catch {
    return {
      json: JSON.parse(JSON.stringify(value, (_, item) => (typeof item === "bigint" ? String(item) : item)) ?? "null"),
    };
  }
}

const texts = new WeakMap<Payload, string>();

/** The JSON text a call's payload becomes (`?input=` of a GET, body of a POST); computed once per payload. */
export function payloadText(payload: Payload): string {
  if ("text" in payload) return payload.text;
  let text = texts.get(payload);
  if (text === undefined) {
    text = JSON.stringify("envelope" in payload ? payload.envelope : serialize(payload.value));
    texts.set(payload, text);
  }
  return text;
}

/** What the server's superjson hands to the procedure, or `invalid` when it cannot deserialize the payload. */
export function deserializedInput(payload: Payload): { input: unknown } | "invalid" {
  try {
    return { input: superjson.deserialize(JSON.parse(payloadText(payload))) };
  } catch {
    return "invalid";
  }
}

function inputQuery(calls: Call[], batch: boolean): string {
  if (!batch) {
    const [call] = calls;
    if (!call) return "";
    const text = payloadText(call.payload);
    return "text" in call.payload ? `?input=${text}` : `?input=${encodeURIComponent(text)}`;
  }
  const items = calls.map((call, i) => `"${i}":${payloadText(call.payload)}`).join(",");
  return `?batch=1&input=${encodeURIComponent(`{${items}}`)}`;
}

function postBody(calls: Call[], batch: boolean): string | undefined {
  if (!batch) return calls[0] ? payloadText(calls[0].payload) : undefined;
  return `{${calls.map((call, i) => `"${i}":${payloadText(call.payload)}`).join(",")}}`;
}

interface TrpcEnvelope {
  error?: { json?: { data?: { code?: string; httpStatus?: number } } };
}

function answerOf(item: unknown, fallbackStatus: number): CallAnswer {
  const error = (item as TrpcEnvelope | null)?.error?.json?.data;
  return {
    httpStatus: error?.httpStatus ?? (error ? fallbackStatus : fallbackStatus >= 400 ? fallbackStatus : 200),
    errorCode: error?.code ?? null,
    body: JSON.stringify(item),
  };
}

function answersOf(body: string, status: number, calls: number, batch: boolean): CallAnswer[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return Array.from({ length: calls }, () => ({ httpStatus: status, errorCode: null, body }));
  }
  if (batch && Array.isArray(parsed)) return parsed.map((item) => answerOf(item, status));
  const answer = answerOf(parsed, status);
  return Array.from({ length: calls }, () => ({ ...answer, body }));
}

/** Reads a subscription's event stream until it has said something meaningful, then hangs up. */
async function readEventStream(response: Response, controller: AbortController): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + 2_000;
  try {
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      // After "connected", errors (auth, input) follow at once; a healthy stream may stay quiet for long.
      const waitMs = text.includes("event: connected") ? Math.min(remaining, 40) : remaining;
      const next = await Promise.race([
        reader.read(),
        new Promise<"quiet">((resolve) => setTimeout(() => resolve("quiet"), waitMs)),
      ]);
      if (next === "quiet" || next.done) break;
      text += decoder.decode(next.value, { stream: true });
      if (/event: (serialized-error|return)|\ndata: /.test(text.replace(/event: connected\ndata: [^\n]*/, ""))) break;
    }
  } finally {
    controller.abort();
    await reader.cancel().catch(() => {});
  }
  return text;
}

/** The stream's errors as call answers: an error event carries its tRPC error shape. */
function streamAnswer(text: string, status: number): CallAnswer {
  const match = /event: serialized-error\ndata: ([^\n]*)/.exec(text);
  if (!match?.[1]) return { httpStatus: status, errorCode: null, body: text };
  try {
    const shape = (JSON.parse(match[1]) as { json?: { data?: { code?: string; httpStatus?: number } } }).json;
    return { httpStatus: shape?.data?.httpStatus ?? status, errorCode: shape?.data?.code ?? null, body: text };
  } catch {
    return { httpStatus: status, errorCode: null, body: text };
  }
}

function isTrpcEnvelope(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as unknown;
    const items = Array.isArray(parsed) ? parsed : [parsed];
    return items.every(
      (item) =>
        item !== null &&
        typeof item === "object" &&
        ("result" in item || ("error" in item && typeof item.error === "object")),
    );
  } catch {
    return false;
  }
}

/** Transport failures of a connection the server closed under a request it had not read (keep-alive reuse). */
const CLOSED_UNDER_US = /other side closed|ECONNRESET|socket hang up/;

async function attempt(url: string, init: RequestInit, isSubscription: boolean) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 30_000);
  try {
    const response = await fetch(url, { ...init, signal: controller.signal });
    const isStream = response.headers.get("content-type")?.startsWith("text/event-stream") ?? false;
    const text = isStream && isSubscription ? await readEventStream(response, controller) : await response.text();
    return { response, text, isStream };
  } finally {
    clearTimeout(timer);
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message} (${String(error.cause ?? "")})` : String(error);
}

/**
 * Sends calls the way @trpc/client's links do: queries and subscriptions as GET
 * with `?input=`, mutations as POST, several calls of one type as a `?batch=1` request.
 */
export async function send(baseUrl: string, request: WireRequest): Promise<WireResponse> {
  const { calls } = request;
  const first = calls[0];
  if (!first) throw new Error("no call to send");
  const batch = calls.length > 1;
  const method = first.type === "mutation" ? "POST" : "GET";
  const path = calls.map((call) => call.path).join(",");
  const url = `${baseUrl}/trpc/${path}${method === "GET" ? inputQuery(calls, batch) : batch ? "?batch=1" : ""}`;
  const headers: Record<string, string> = { "x-request-id": request.requestId, ...request.headers };
  const body = method === "POST" ? postBody(calls, batch) : undefined;
  if (body !== undefined) headers["content-type"] = "application/json";
  const isSubscription = first.type === "subscription";
  if (isSubscription) headers.accept = "text/event-stream";
  const init: RequestInit = { method, headers, body };

  let answer: Awaited<ReturnType<typeof attempt>>;
  try {
    answer = await attempt(url, init, isSubscription).catch((error: unknown) => {
      // The pooled connection may have been closed by an earlier answer: once more on a fresh one.
      if (CLOSED_UNDER_US.test(describeError(error))) return attempt(url, init, isSubscription);
      throw error;
    });
  } catch (error) {
    return {
      method,
      url,
      status: 0,
      body: "",
      answers: calls.map(() => ({ httpStatus: 0, errorCode: null, body: "" })),
      transportError: describeError(error),
    };
  }
  const { response, text, isStream } = answer;
  const answers = isStream
    ? [streamAnswer(text, response.status)]
    : answersOf(text, response.status, calls.length, batch);
  const result: WireResponse = { method, url, status: response.status, body: text, answers };
  // An answer from a middleware in front of tRPC (413, 431…) may leave the request body unread; if it
  // promises keep-alive, the connection must still carry the client's next request.
  if (!isStream && !isTrpcEnvelope(text) && response.headers.get("connection") !== "close") {
    try {
      await fetch(`${baseUrl}/healthz`);
    } catch (error) {
      result.brokenConnection = `after ${response.status} with "Connection: ${response.headers.get("connection")}", the next request on the connection failed: ${describeError(error)}`;
    }
  }
  return result;
}
