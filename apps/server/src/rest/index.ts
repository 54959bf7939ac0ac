import { type ApiDeps, READ_AFTER_HEADER } from "@inkwell/api";
import { Hono } from "hono";
import type { Logger } from "../logger.ts";
import { metaOptions, type ProxyTrust } from "../request-meta.ts";
import { callerFor, type RestEnv } from "./context.ts";
import { docsRoutes } from "./docs.ts";
import { realWorldDocument, realWorldResources } from "./document.ts";
import { toRealWorldError } from "./errors.ts";
import { serveOperations } from "./operation.ts";
import { jsonBodiesOnly } from "./request.ts";

export interface RestOptions extends ProxyTrust {
  logger: Logger;
}

/**
 * The RealWorld ("Conduit") REST API at /api. Each route reads the contract's
 * envelope, calls a procedure as the requester and shapes the answer; the
 * rules live in the procedures. Routes and the OpenAPI document come from the
 * same operations (document.ts).
 */
export function restRoutes(deps: ApiDeps, options: RestOptions) {
  const app = new Hono<RestEnv>();
  const headersOnly = metaOptions(options, false);
  app.route("/", docsRoutes(realWorldDocument()));
  app.use(jsonBodiesOnly);
  app.use(async (c, next) => {
    const { caller, userId, resHeaders } = await callerFor(c, deps, headersOnly);
    c.set("api", caller);
    if (userId !== undefined) c.set("userId", userId);
    await next();
    // After a write, where the caller's next reads must start (decision 014); set only with replicas.
    const readAfter = resHeaders.get(READ_AFTER_HEADER);
    if (readAfter) c.header(READ_AFTER_HEADER, readAfter);
  });
  serveOperations(app, realWorldResources);

  app.notFound((c) => c.json({ errors: { path: [`no such endpoint: ${c.req.method} ${c.req.path}`] } }, 404));
  app.onError(async (error, c) => {
    const input = await c.req
      .json()
      .then((body: Record<string, Record<string, unknown>>) => Object.values(body ?? {})[0] ?? {})
      .catch(() => ({}));
    const mapped = toRealWorldError(error, c.get("resource") ?? "article", input);
    if (mapped.status >= 500)
      options.logger.error({ err: error, requestId: c.get("requestId") }, "REST request failed");
    if (mapped.retryAfter) c.header("Retry-After", String(mapped.retryAfter));
    return c.json(mapped.body, mapped.status);
  });
  return app;
}
