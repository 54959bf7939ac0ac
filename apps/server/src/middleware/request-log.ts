import type { MiddlewareHandler } from "hono";
import type { Logger } from "../logger.ts";

export type RequestLogVariables = {
  requestId: string;
  /** Set once the caller is known (tRPC context, REST caller). */
  userId?: number;
};

/**
 * One line per request: request id, method, path (and tRPC procedure),
 * status, duration and user. Never headers, query strings or bodies, which
 * is where tokens, cookies and passwords travel.
 */
export function requestLog(logger: Logger): MiddlewareHandler<{ Variables: RequestLogVariables }> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const path = c.req.path;
    logger.info(
      {
        requestId: c.get("requestId"),
        method: c.req.method,
        path,
        procedure: path.startsWith("/trpc/") ? path.slice("/trpc/".length) : undefined,
        status: c.res.status,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        userId: c.get("userId") ?? null,
      },
      "request",
    );
  };
}
