import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from "node:http";
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";

/**
 * The headers hono/secure-headers puts on an answer with its defaults (`X-Frame-Options`,
 * `Strict-Transport-Security`, `X-Content-Type-Options`, …), read once from the middleware itself.
 */
export async function securityHeaders(): Promise<[name: string, value: string][]> {
  const probe = new Hono().use(secureHeaders()).get("/", (c) => c.body(null));
  return [...(await probe.request("/")).headers];
}

/**
 * `node:http`'s `createServer` for @hono/node-server's `serve`, with `headers` set on every answer before the app
 * sees the request. The same headers hono/secure-headers sets, but set as the middleware on eleven web `Headers`
 * per answer they were a twentieth of a cheap read's CPU (BENCHMARKS.md, finding 14). A header the app sets
 * itself replaces one of these. Every answer gets them, also one @hono/node-server writes when the app failed.
 */
export function createServerSetting(headers: readonly (readonly [string, string])[]): typeof createServer {
  const withHeaders =
    (listener: RequestListener) =>
    (request: IncomingMessage, response: ServerResponse): void => {
      for (const [name, value] of headers) response.setHeader(name, value);
      listener(request, response);
    };
  return ((options: object, listener: RequestListener) =>
    createServer(options, withHeaders(listener))) as typeof createServer;
}
