import { hash } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { RETAINED_304_HEADERS } from "hono/etag";
import { knownBytes, replaceWithBytes } from "./answer-bytes.ts";
import { replaceAnswer } from "./replace-answer.ts";

/** How long a shared cache (CDN) or browser may serve an anonymous answer without asking, in seconds. */
export const PUBLIC_MAX_AGE_SECONDS = 5;
/** And how long after that it may serve it while it revalidates in the background. */
export const STALE_WHILE_REVALIDATE_SECONDS = 30;

export const PUBLIC_CACHE_CONTROL = `public, max-age=${PUBLIC_MAX_AGE_SECONDS}, stale-while-revalidate=${STALE_WHILE_REVALIDATE_SECONDS}`;
/** Signed-in answers: the browser may keep them, but asks every time (with the ETag, so unchanged costs no body). */
export const PRIVATE_CACHE_CONTROL = "private, no-cache";

export interface CachingOptions {
  /** Whether the request carries a credential the transport reads (its answer may be that caller's own). */
  signedIn(c: Context): boolean;
  /** The request headers that can change the answer, for `Vary`. */
  vary: string;
  /** Requests left alone (event streams, anything else not a plain read). */
  skip?(c: Context): boolean;
}

// A 304 carries what a 200 would have that a client or cache needs to reuse the stored answer: the RFC's list,
// plus the request id, the rate-limit state and CORS (a browser checks CORS on a revalidated cross-origin answer).
const retainedHeaders = [
  ...RETAINED_304_HEADERS,
  "x-request-id",
  "ratelimit",
  "ratelimit-policy",
  "access-control-allow-origin",
  "access-control-allow-credentials",
  "access-control-expose-headers",
];

// The strong tag names the exact bytes: compress-answers.ts sends what it compressed for a tag again to whoever
// gets the same tag, so tags must not collide, not even for answers crafted to (SHA-1 collisions can be made), and a
// tag set any other way (a version, a date) must be weak. SHA-256 in one synchronous call: node:crypto is faster
// than WebCrypto's promise for a few kilobytes, and its one-shot `hash` about a fifth of `createHash`'s cost.
export const strongTag = (body: Uint8Array) => `"${hash("sha256", body, "hex")}"`;

const retained = new Set(retainedHeaders);

/** `If-None-Match` names `tag`: `*`, or one of its tags compared weakly (RFC 9110, 13.1.2). */
function noneMatchHits(ifNoneMatch: string | undefined, tag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  if (ifNoneMatch.trim() === "*") return true;
  const opaque = tag.replace(/^W\//, "");
  return ifNoneMatch.match(/"[^"]*"/g)?.some((candidate) => candidate === opaque) ?? false;
}

/**
 * A strong `ETag` on a successful answer, from its body; `304 Not Modified` when `If-None-Match` names it. What
 * hono/etag does, without its cost per answer: it clones the answer into two web streams to read one, so every
 * answer went out as a stream. This reads the body once and sends the same bytes on, in one write, with their
 * `Content-Length` (which also lets compression skip a small answer without reading it again).
 */
const validate: MiddlewareHandler = async (c, next) => {
  await next();
  if (!c.res.ok) return;
  let tag = c.res.headers.get("ETag");
  if (!tag) {
    const known = knownBytes(c.res);
    const body = known ?? new Uint8Array(await c.res.arrayBuffer());
    tag = strongTag(body);
    c.res.headers.set("Content-Length", String(body.byteLength));
    if (!known) replaceWithBytes(c, body);
  }
  if (noneMatchHits(c.req.header("If-None-Match"), tag)) {
    const headers = new Headers({ ETag: tag });
    for (const [name, value] of c.res.headers) if (retained.has(name)) headers.set(name, value);
    replaceAnswer(c, new Response(null, { status: 304, headers }));
  } else {
    c.res.headers.set("ETag", tag);
  }
};

/**
 * Validators and freshness for successful GET answers: a strong `ETag` from the body (`304 Not Modified` when
 * `If-None-Match` names it, weak `W/` forms and lists included, and `*`), and `Cache-Control`:
 * public for a short time when the request was anonymous, private and revalidated every time when signed in. An
 * answer that sets a cookie is never stored. Compression (outside this) turns the tag weak, as RFC 9110 asks for a
 * transformed body.
 */
export function httpCaching(options: CachingOptions): MiddlewareHandler {
  const freshness: MiddlewareHandler = async (c, next) => {
    await next();
    if (c.res.status !== 200 || c.res.headers.has("cache-control")) return;
    const cacheControl = c.res.headers.has("set-cookie")
      ? "private, no-store"
      : options.signedIn(c)
        ? PRIVATE_CACHE_CONTROL
        : PUBLIC_CACHE_CONTROL;
    // On the answer itself: `c.header()` after the answer exists rebuilds it around a stream (replace-answer.ts).
    c.res.headers.set("Cache-Control", cacheControl);
    c.res.headers.append("Vary", options.vary);
  };
  return (c, next) => {
    if (c.req.method !== "GET" || options.skip?.(c)) return next();
    return validate(c, async () => {
      await freshness(c, next);
    });
  };
}
