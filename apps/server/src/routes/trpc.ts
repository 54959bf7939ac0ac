import { getConnInfo } from "@hono/node-server/conninfo";
import { trpcServer } from "@hono/trpc-server";
import { type ApiDeps, appRouter, createContext } from "@inkwell/api";
import type { Context as HonoContext } from "hono";

function clientIp(c: HonoContext): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    // Requests made through app.request() in tests have no socket.
    return null;
  }
}

export function trpcRoutes(deps: ApiDeps) {
  return trpcServer({
    router: appRouter,
    endpoint: "/trpc",
    createContext: (_opts, c) =>
      createContext({
        deps,
        meta: {
          requestId: c.get("requestId"),
          ip: clientIp(c),
          userAgent: c.req.header("user-agent") ?? null,
          headers: c.req.raw.headers,
        },
      }),
  });
}
