import { trpcServer } from "@hono/trpc-server";
import { type ApiDeps, appRouter, createContext, fromDatabaseError } from "@inkwell/api";
import type { Logger } from "../logger.ts";
import { requestMeta } from "../request-meta.ts";

export function trpcRoutes(deps: ApiDeps, options: { logger: Logger; trustProxy: boolean }) {
  return trpcServer({
    router: appRouter,
    endpoint: "/trpc",
    createContext: async (opts, c) => {
      const ctx = await createContext({
        deps,
        meta: requestMeta(c, { ...options, usesCookies: true }),
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
      if (error.code === "INTERNAL_SERVER_ERROR") {
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
}
