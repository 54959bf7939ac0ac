import type { Handler, Hono, MiddlewareHandler } from "hono";
import type { ZodOpenApiOperationObject, ZodOpenApiPathsObject } from "zod-openapi";
import type { Resource, RestEnv } from "./context.ts";

export type Method = "get" | "post" | "put" | "delete";

/** `/articles/{slug}` (OpenAPI) as Hono spells it, `/articles/:slug`, so handlers' `c.req.param()` is typed. */
type HonoPath<P extends string> = P extends `${infer Head}{${infer Name}}${infer Tail}`
  ? `${Head}:${Name}${HonoPath<Tail>}`
  : P;

/**
 * One REST endpoint, described and served from one definition: the document
 * is built from `doc`, the server routes `method path` to `handle`. Adding an
 * endpoint is adding one of these to a resource's list.
 */
export interface RestOperation<P extends `/${string}` = `/${string}`> {
  method: Method;
  /** OpenAPI's form, `/articles/{slug}`; served as `/articles/:slug`. */
  path: P;
  doc: ZodOpenApiOperationObject;
  handle: Handler<RestEnv, HonoPath<P>>;
}

/**
 * Checks an operation's handler against its path's parameters (`c.req.param("slug")` is a string), then forgets
 * the path's type so operations on different paths fit in one list.
 */
export const operation = <P extends `/${string}`>(definition: RestOperation<P>): RestOperation =>
  definition as unknown as RestOperation;

/** Operations on one resource, which RealWorld error bodies name (`{"errors":{"article":[…]}}`). */
export interface RestResource {
  resource: Resource;
  operations: readonly RestOperation[];
}

const honoPath = (path: string) => path.replace(/\{(\w+)\}/g, ":$1");

const naming = (resource: Resource): MiddlewareHandler<RestEnv> =>
  async function nameResource(c, next) {
    c.set("resource", resource);
    await next();
  };

/** Registers every operation, in order (a literal path such as /articles/feed before /articles/{slug}). */
export function serveOperations(app: Hono<RestEnv>, resources: readonly RestResource[]): void {
  for (const { resource, operations } of resources) {
    for (const { method, path, handle } of operations) {
      app.on(method.toUpperCase(), honoPath(path), naming(resource), handle);
    }
  }
}

/** The operations as an OpenAPI paths object, each operation's doc passed through `describe`. */
export function documentPaths(
  resources: readonly RestResource[],
  describe: (operation: RestOperation) => ZodOpenApiOperationObject = (operation) => operation.doc,
): ZodOpenApiPathsObject {
  const paths: ZodOpenApiPathsObject = {};
  for (const { operations } of resources) {
    for (const operation of operations) {
      paths[operation.path] = { ...paths[operation.path], [operation.method]: describe(operation) };
    }
  }
  return paths;
}
