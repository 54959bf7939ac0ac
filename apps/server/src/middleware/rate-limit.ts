import { hash } from "node:crypto";
import type { PresentedCredential } from "@inkwell/api";
import type { Context, MiddlewareHandler } from "hono";
import type { RateStore, RateWindow } from "./rate-store.ts";

export interface RateLimits {
  /** Calls per minute from one client address; 0 turns the limit off. */
  perIpPerMinute: number;
  /** Calls per minute with one credential (session token, cookie or API key); 0 turns it off. */
  perCredentialPerMinute: number;
}

/** How the limiter reads a request on one transport (/trpc or /api). */
export interface RateSubject {
  /** The client's address, as the server determines it. */
  address(c: Context): string;
  /** The credential the request uses, decided as authentication decides it. */
  credential(c: Context): PresentedCredential;
  /** How many calls the request makes: one, or each call of a tRPC batch. */
  calls(c: Context): number;
}

interface Counted extends RateWindow {
  limit: number;
}

/** The token a request authenticates with; an empty or malformed Authorization header is none (anonymous). */
function usedToken(credential: PresentedCredential): string | null {
  return credential.source === "none" ? null : credential.token;
}

/** Rate-limit keys are stored, and secrets never are. */
const digest = (token: string) => hash("sha256", token, "hex").slice(0, 32);

const remaining = (window: Counted) => Math.max(window.limit - window.hits, 0);
const secondsUntil = (date: Date) => Math.max(Math.ceil((date.getTime() - Date.now()) / 1000), 0);

/** The window that speaks for the request: one it overran (the last to reset), else the closest to running out. */
function deciding(windows: Counted[]): Counted {
  const overrun = windows.filter((window) => window.hits > window.limit);
  if (overrun.length > 0) return overrun.reduce((a, b) => (b.resetAt > a.resetAt ? b : a));
  return windows.reduce((a, b) => (remaining(b) < remaining(a) ? b : a));
}

/**
 * Two limits, counted in the store (shared by every process): per client
 * address, and per credential the request actually uses. A request counts
 * once per call it makes, so a tRPC batch of N counts N; a request that
 * would exceed either limit is refused whole with 429 and `Retry-After`.
 * Every answer carries the draft-7 `RateLimit` and `RateLimit-Policy`
 * headers of the limit closest to running out.
 */
export function rateLimit(store: RateStore, limits: RateLimits, subject: RateSubject): MiddlewareHandler {
  const windowSeconds = Math.ceil(store.windowMs / 1000);
  return async (c, next) => {
    const budgets: { key: string; limit: number }[] = [];
    if (limits.perIpPerMinute > 0) {
      budgets.push({ key: `rate:ip:${subject.address(c)}`, limit: limits.perIpPerMinute });
    }
    const token = limits.perCredentialPerMinute > 0 ? usedToken(subject.credential(c)) : null;
    if (token !== null) budgets.push({ key: `rate:credential:${digest(token)}`, limit: limits.perCredentialPerMinute });
    if (budgets.length === 0) return next();

    const weight = subject.calls(c);
    const windows = await Promise.all(
      budgets.map(async ({ key, limit }) => ({ limit, ...(await store.hit(key, weight, limit)) })),
    );
    const window = deciding(windows);
    const reset = secondsUntil(window.resetAt);
    c.header("RateLimit-Policy", `${window.limit};w=${windowSeconds}`);
    c.header("RateLimit", `limit=${window.limit}, remaining=${remaining(window)}, reset=${reset}`);
    if (window.hits > window.limit) {
      c.header("Retry-After", String(Math.max(reset, 1)));
      return c.json({ error: "Too many requests. Slow down and retry after the time in the Retry-After header." }, 429);
    }
    return next();
  };
}
