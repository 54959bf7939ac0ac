import { isIP } from "node:net";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { RequestMeta } from "@inkwell/api";
import type { Context } from "hono";

export interface ProxyTrust {
  /**
   * How many reverse proxies in front of the server append to the
   * X-Forwarded-* headers and are trusted (0: none, the headers are ignored).
   */
  trustProxy: number;
}

function socketAddress(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    // Requests made through app.request() in tests have no socket.
    return null;
  }
}

/**
 * The entry of a comma-separated X-Forwarded-* header written by the
 * outermost trusted proxy. Each proxy appends what it saw to the right, so
 * with `hops` trusted proxies the `hops`-th entry from the right is the last
 * one a trusted proxy wrote; everything to its left came from the client and
 * is never read. With fewer entries than hops (a request that passed fewer
 * proxies), the left-most entry, which the nearest proxy wrote, is taken.
 */
function forwardedEntry(c: Context, header: string, hops: number): string | undefined {
  if (hops < 1) return undefined;
  const value = c.req.header(header);
  if (value === undefined) return undefined;
  const entries = value.split(",").map((entry) => entry.trim());
  return entries[Math.max(entries.length - hops, 0)] || undefined;
}

const HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * The client's address: the socket's, or behind trusted proxies the
 * X-Forwarded-For entry they wrote. An entry that is not an IP address
 * (empty, `unknown`, junk) falls back to the socket.
 */
export function clientAddress(c: Context, options: ProxyTrust): string | null {
  const forwarded = forwardedEntry(c, "x-forwarded-for", options.trustProxy);
  return forwarded && isIP(forwarded) ? forwarded : socketAddress(c);
}

/**
 * The scheme and host of `href`, a URL as the Node adapter or `Request` serialized it (so already normalized: a
 * lower-case host, no default port), read from the string: `new URL()` for it cost about 10 µs of a 300 µs read
 * under load (BENCHMARKS.md, finding 19).
 */
export function schemeAndHost(href: string): { scheme: string; host: string } {
  const colon = href.indexOf(":");
  const authority = colon + 3;
  const end = href.indexOf("/", authority);
  const hostAndPort = href.slice(authority, end === -1 ? undefined : end);
  // Neither the adapter nor `Request` lets credentials through; skipped all the same.
  return { scheme: href.slice(0, colon), host: hostAndPort.slice(hostAndPort.lastIndexOf("@") + 1) };
}

/** How a transport reads requests: the proxies it trusts, and whether it reads the session cookie. */
export type MetaOptions = ProxyTrust & { usesCookies: boolean };

/**
 * `options` with `usesCookies`, built once per transport rather than spread per request: on Node 20 an object
 * spread and then given a property of its own takes V8's slow path (BENCHMARKS.md, finding 14).
 */
export const metaOptions = (options: ProxyTrust, usesCookies: boolean): MetaOptions => ({
  trustProxy: options.trustProxy,
  usesCookies,
});

/** Who is asking and how, from the socket or, behind trusted proxies, the X-Forwarded-* entries they wrote. */
export function requestMeta(c: Context, options: MetaOptions): RequestMeta {
  const url = schemeAndHost(c.req.url);
  const forwardedProto = forwardedEntry(c, "x-forwarded-proto", options.trustProxy)?.toLowerCase();
  const forwardedHost = forwardedEntry(c, "x-forwarded-host", options.trustProxy);
  const scheme = forwardedProto === "http" || forwardedProto === "https" ? forwardedProto : url.scheme;
  const host = forwardedHost && HOST.test(forwardedHost) ? forwardedHost.toLowerCase() : url.host;
  return {
    requestId: c.get("requestId"),
    ip: clientAddress(c, options),
    userAgent: c.req.header("user-agent") ?? null,
    headers: c.req.raw.headers,
    origin: `${scheme}://${host}`,
    secure: scheme === "https",
    usesCookies: options.usesCookies,
  };
}
