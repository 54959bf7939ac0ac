import { READ_AFTER_HEADER } from "@inkwell/api";
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";

const exposeHeaders = ["Retry-After", "X-Request-Id", "RateLimit", "RateLimit-Policy", READ_AFTER_HEADER];

/**
 * CORS for /api: any listed origin (or `*`) may call it from a browser.
 * Tokens travel in the Authorization header and REST never reads cookies, so
 * no credentials mode. Mounted before the rate limit and body limit, so their
 * answers (429, 413) reach the page too.
 *
 * Preflights are hono/cors's. On the other requests the same headers go onto
 * the answer once it exists: hono/cors sets them on `c.res` before the handler
 * runs and appends `Vary` with `c.header()` after, and either makes Hono
 * rebuild every answer around a stream (middleware/replace-answer.ts).
 */
export function restCors(origins: "*" | readonly string[]): MiddlewareHandler {
  const preflight = cors({
    origin: origins === "*" ? "*" : [...origins],
    allowMethods: ["GET", "POST", "PUT", "DELETE", "OPTIONS"],
    allowHeaders: ["Authorization", "Content-Type", "X-Requested-With", "X-Request-Id", READ_AFTER_HEADER],
    exposeHeaders,
    maxAge: 600,
  });
  const allowedOrigin = (origin: string) => (origins === "*" ? "*" : origins.includes(origin) ? origin : null);
  const exposed = exposeHeaders.join(",");
  return async function restCors(c, next) {
    if (c.req.method === "OPTIONS") return preflight(c, next);
    await next();
    const headers = c.res.headers;
    const origin = allowedOrigin(c.req.header("origin") ?? "");
    if (origin) headers.set("Access-Control-Allow-Origin", origin);
    headers.set("Access-Control-Expose-Headers", exposed);
    if (origins !== "*") headers.append("Vary", "Origin");
  };
}
