import { getConnInfo } from "@hono/node-server/conninfo";
import type { RequestMeta } from "@inkwell/api";
import type { Context } from "hono";

function socketAddress(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    // Requests made through app.request() in tests have no socket.
    return null;
  }
}

/** The client's address: the socket's, or behind a trusted proxy the first X-Forwarded-For entry. */
export function clientAddress(c: Context, options: { trustProxy: boolean }): string | null {
  const forwardedFor = options.trustProxy ? c.req.header("x-forwarded-for")?.split(",")[0]?.trim() : undefined;
  return forwardedFor || socketAddress(c);
}

/** Who is asking and how, from the socket or, behind a trusted proxy, its X-Forwarded-* headers. */
export function requestMeta(c: Context, options: { trustProxy: boolean; usesCookies: boolean }): RequestMeta {
  const url = new URL(c.req.url);
  const forwardedProto = options.trustProxy ? c.req.header("x-forwarded-proto")?.split(",")[0]?.trim() : undefined;
  const forwardedHost = options.trustProxy ? c.req.header("x-forwarded-host")?.split(",")[0]?.trim() : undefined;
  const scheme = forwardedProto ?? url.protocol.replace(":", "");
  return {
    requestId: c.get("requestId"),
    ip: clientAddress(c, options),
    userAgent: c.req.header("user-agent") ?? null,
    headers: c.req.raw.headers,
    origin: `${scheme}://${forwardedHost ?? url.host}`,
    secure: scheme === "https",
    usesCookies: options.usesCookies,
  };
}
