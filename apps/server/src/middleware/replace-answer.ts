import type { Context } from "hono";

/**
 * Puts `res` in place of the answer a middleware has already been handed. Assigning `c.res` when an answer
 * exists makes Hono copy the old answer's headers into a new Response built from `res.body`, which turns a
 * string body into a web stream (@hono/node-server then writes it chunk by chunk instead of in one write).
 * `res` must already carry every header the old answer had: build it with `{ status, headers: old.headers }`,
 * not with the old Response as its init (that, too, builds a stream-backed Response).
 */
export function replaceAnswer(c: Context, res: Response): void {
  c.res = undefined;
  c.res = res;
}
