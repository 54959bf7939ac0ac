import { createHash } from "node:crypto";
import type { SqlClient } from "@inkwell/db";
import type { Context, MiddlewareHandler } from "hono";
import { rateLimiter } from "hono-rate-limiter";
import { PostgresRateStore } from "./postgres-rate-store.ts";

export interface RateLimits {
  /** Requests per minute from one client address; 0 turns the limit off. */
  perIpPerMinute: number;
  /** Requests per minute with one credential (session token, cookie or API key); 0 turns it off. */
  perCredentialPerMinute: number;
}

/** The credential a request carries, hashed: rate-limit keys are stored, and secrets never are. */
function credentialKey(c: Context): string | undefined {
  const credential = c.req.header("authorization") ?? c.req.header("cookie")?.match(/inkwell_session=([^;]+)/)?.[1];
  return credential ? createHash("sha256").update(credential).digest("hex").slice(0, 32) : undefined;
}

const tooMany = (c: Context) =>
  c.json({ error: "Too many requests. Slow down and retry after the time in the Retry-After header." }, 429);

/**
 * Two limits, both counted in PostgreSQL so they hold across processes: per
 * client address, and per credential (a user's session or an API key).
 * Answers 429 with Retry-After and the draft-7 `RateLimit` headers.
 */
export function rateLimits(sql: SqlClient, limits: RateLimits, clientIp: (c: Context) => string): MiddlewareHandler[] {
  const common = { windowMs: 60_000, standardHeaders: "draft-7" as const, handler: tooMany };
  const middleware: MiddlewareHandler[] = [];
  if (limits.perIpPerMinute > 0) {
    middleware.push(
      rateLimiter({
        ...common,
        limit: limits.perIpPerMinute,
        keyGenerator: clientIp,
        store: new PostgresRateStore(sql, "rate:ip:"),
      }),
    );
  }
  if (limits.perCredentialPerMinute > 0) {
    middleware.push(
      rateLimiter({
        ...common,
        limit: limits.perCredentialPerMinute,
        keyGenerator: (c) => credentialKey(c) ?? "",
        skip: (c) => credentialKey(c) === undefined,
        store: new PostgresRateStore(sql, "rate:credential:"),
      }),
    );
  }
  return middleware;
}
