import { type ApiDeps, appRouter, createCallerFactory } from "@inkwell/api";
import type { Context } from "hono";
import { requestContext } from "../request-context.ts";
import type { MetaOptions } from "../request-meta.ts";

const createCaller = createCallerFactory(appRouter);
export type ApiCaller = ReturnType<typeof createCaller>;

/** What RealWorld calls the resource in error bodies: `{"errors":{"article":["not found"]}}`. */
export type Resource = "article" | "comment" | "profile" | "user" | "tag";

/** Read with `c.get(…)`: Hono's `c.var` copies every variable into a new object at each read. */
export type RestEnv = {
  Variables: {
    requestId: string;
    userId?: number;
    /** The tRPC procedures, called as the requester. */
    api: ApiCaller;
    resource: Resource;
  };
};

/** Builds the same context the tRPC endpoint builds, so procedures see the same caller. */
export async function callerFor(
  c: Context,
  deps: ApiDeps,
  options: MetaOptions,
): Promise<{ caller: ApiCaller; userId: number | undefined; resHeaders: Headers }> {
  // Procedures add headers to resHeaders (the write position for read-your-writes); REST never sets cookies.
  const { ctx, resHeaders } = await requestContext(c, deps, options);
  return { caller: createCaller(ctx), userId: ctx.principal?.user.id, resHeaders };
}
