import type { Context, MiddlewareHandler } from "hono";

/** A server-sent events request: an EventSource asks for `text/event-stream` (tRPC subscriptions). */
export function isEventStreamRequest(c: Context): boolean {
  return c.req.header("accept")?.includes("text/event-stream") ?? false;
}

/**
 * `middleware` for every request except event streams. A stream stays open
 * for as long as the client watches: a request timeout would cut it, and
 * compression would buffer its events instead of sending each at once.
 */
export function exceptEventStreams(middleware: MiddlewareHandler): MiddlewareHandler {
  return (c, next) => (isEventStreamRequest(c) ? next() : middleware(c, next));
}
