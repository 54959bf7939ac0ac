import { trpcServer } from "@hono/trpc-server";
import { type ApiDeps, appRouter, createContext } from "@inkwell/api";
import { requestMeta } from "../request-meta.ts";

export function trpcRoutes(deps: ApiDeps, options: { trustProxy: boolean }) {
  return trpcServer({
    router: appRouter,
    endpoint: "/trpc",
    createContext: (opts, c) => createContext({ deps, meta: requestMeta(c, options), resHeaders: opts.resHeaders }),
    responseMeta({ errors }) {
      // Throttled callers learn when to come back, in the standard header too.
      const retryAfter = errors.map((error) => error.cause).find((cause) => cause?.name === "RetryAfter") as
        | { seconds: number }
        | undefined;
      return retryAfter ? { headers: new Headers({ "Retry-After": String(retryAfter.seconds) }) } : {};
    },
  });
}
