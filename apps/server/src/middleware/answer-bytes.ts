import type { Context } from "hono";
import type { ContentfulStatusCode, StatusCode } from "hono/utils/http-status";
import { replaceAnswer } from "./replace-answer.ts";

/** The bytes of answers built here, by the answer: a middleware that needs them need not read them back. */
const bytesOf = new WeakMap<Response, Uint8Array<ArrayBuffer>>();

/**
 * An answer of `bytes` through the context (keeping the headers middleware set before), whose bytes
 * `knownBytes` hands over as they are. Reading a body back (`arrayBuffer()`) builds a web stream around it
 * first: about 5 % of a profile read's CPU for its ETag (BENCHMARKS.md, finding 11).
 */
export function bytesAnswer(
  c: Context,
  bytes: Uint8Array<ArrayBuffer>,
  init: Response | { status?: StatusCode; headers?: HeadersInit },
): Response {
  return withKnownBytes(c.newResponse(bytes, init), bytes);
}

/** `answer`, which is made of `bytes`: `knownBytes` hands them over from now on. */
function withKnownBytes(answer: Response, bytes: Uint8Array<ArrayBuffer>): Response {
  bytesOf.set(answer, bytes);
  return answer;
}

const JSON_CONTENT_TYPE = { "Content-Type": "application/json" } as const;

/** `c.json(value, status)`, with its bytes known (`bytesAnswer`). */
export function jsonAnswer(c: Context, value: unknown, status: ContentfulStatusCode = 200): Response {
  const bytes = Buffer.from(JSON.stringify(value));
  // Headers as the third argument: Hono hands a single one on as it is, where an init's are copied into two `Headers`.
  return withKnownBytes(c.newResponse(bytes, status, JSON_CONTENT_TYPE), bytes);
}

/** The answer's bytes when `bytesAnswer` or `withKnownBytes` made it; else undefined (read them with `arrayBuffer()`). */
export function knownBytes(answer: Response): Uint8Array<ArrayBuffer> | undefined {
  return bytesOf.get(answer);
}

/** Puts `bytes`, read from the current answer (which reading consumed), back in its place, with its headers. */
export function replaceWithBytes(c: Context, bytes: Uint8Array<ArrayBuffer>): void {
  replaceAnswer(c, withKnownBytes(new Response(bytes, { status: c.res.status, headers: c.res.headers }), bytes));
}
