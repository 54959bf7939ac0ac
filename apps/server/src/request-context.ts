import { type Context as ApiContext, type ApiDeps, createContext, fromDatabaseError } from "@inkwell/api";
import type { Context } from "hono";
import { type MetaOptions, requestMeta } from "./request-meta.ts";

/**
 * The context /trpc builds, for the routes that call procedures themselves (REST, /api/rpc, the CSV export):
 * the same credential rules, and a database that cannot be reached answered like any procedure's failure.
 * `resHeaders` collects what procedures add to the answer (cookies, the write position of decision 014).
 */
export async function requestContext(
  c: Context,
  deps: ApiDeps,
  options: MetaOptions,
): Promise<{ ctx: ApiContext; resHeaders: Headers }> {
  const resHeaders = new Headers();
  const ctx = await createContext({ deps, meta: requestMeta(c, options), resHeaders }).catch((error: unknown) => {
    throw fromDatabaseError(error) ?? error;
  });
  return { ctx, resHeaders };
}
