import { READ_AFTER_HEADER } from "@inkwell/api";
import { cors } from "hono/cors";

/**
 * CORS for /api: any listed origin (or `*`) may call it from a browser.
 * Tokens travel in the Authorization header and REST never reads cookies, so
 * no credentials mode. Mounted before the rate limit and body limit, so their
 * answers (429, 413) reach the page too.
 */
export function restCors(origins: "*" | readonly string[]) {
  return cors({
    origin: origins === "*" ? "*" : [...origins],
    allowMethods: ["GET", "POST", "PUT", "DELETE", "OPTIONS"],
    allowHeaders: ["Authorization", "Content-Type", "X-Requested-With", "X-Request-Id", READ_AFTER_HEADER],
    exposeHeaders: ["Retry-After", "X-Request-Id", "RateLimit", "RateLimit-Policy", READ_AFTER_HEADER],
    maxAge: 600,
  });
}
