import { trpcServer } from "@hono/trpc-server";
import { type ApiDeps, appRouter, createContext, fromDatabaseError, isConcurrencyAbort } from "@inkwell/api";
import type { MiddlewareHandler } from "hono";
import type { Logger } from "../logger.ts";
import { bytesAnswer } from "../middleware/answer-bytes.ts";
import { metaOptions, type ProxyTrust, requestMeta } from "../request-meta.ts";
import { BATCH_TOO_LARGE, MAX_BATCH_CALLS } from "../trpc-request.ts";

export function trpcRoutes(deps: ApiDeps, options: ProxyTrust & { logger: Logger }): MiddlewareHandler {
  const readsCookies = metaOptions(options, true);
  const handler = trpcServer({
    router: appRouter,
    endpoint: "/trpc",
    maxBatchSize: MAX_BATCH_CALLS,
    createContext: async (opts, c) => {
      const ctx = await createContext({
        deps,
        meta: requestMeta(c, readsCookies),
        resHeaders: opts.resHeaders,
        // Only subscriptions authenticate through connection parameters (EventSource cannot send headers).
        connectionParams: opts.info.type === "subscription" ? opts.info.connectionParams : null,
      }).catch((error: unknown) => {
        // Resolving the caller reads the database; when it is away, say so (503) rather than fail (500).
        throw fromDatabaseError(error) ?? error;
      });
      if (ctx.principal) c.set("userId", ctx.principal.user.id);
      return ctx;
    },
    onError({ error, path, ctx }) {
      // tRPC words an oversized batch generically; tRPC calls onError before it shapes the answer, so say the limit.
      if (error.code === "BAD_REQUEST" && error.message === "Batch call exceeds maximum size") {
        error.message = BATCH_TOO_LARGE;
      }
      // A deadlock is answered 503 (send it again) but is a lock-order bug all the same: logged like a 500.
      if (error.code === "INTERNAL_SERVER_ERROR" || isConcurrencyAbort(error)) {
        options.logger.error({ err: error, procedure: path, requestId: ctx?.meta.requestId }, "procedure failed");
      }
    },
    responseMeta({ errors }) {
      // Throttled callers learn when to come back, in the standard header too.
      const retryAfter = errors.map((error) => error.cause).find((cause) => cause?.name === "RetryAfter") as
        | { seconds: number }
        | undefined;
      return retryAfter ? { headers: new Headers({ "Retry-After": String(retryAfter.seconds) }) } : {};
    },
  });
  return async (c, next) => {
    const response = await handler(c, next);
    if (!response) return response;
    // tRPC builds its own Response; answering through the context keeps the headers middleware set before
    // (X-Request-Id, RateLimit), which a bare Response would drop. Streams (subscriptions, streamed batches) pass
    // through unbuffered; a JSON answer goes on as its bytes, which are sent in one write and which the ETag
    // reads without a stream (middleware/replace-answer.ts).
    if (!response.headers.get("content-type")?.startsWith("application/json")) {
      return c.newResponse(response.body, response);
    }
    return bytesAnswer(c, new Uint8Array(await response.arrayBuffer()), response);
  };
}
