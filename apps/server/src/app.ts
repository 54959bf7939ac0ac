import type { ApiDeps } from "@inkwell/api";
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import type { Logger } from "./logger.ts";
import { requestLog } from "./middleware/request-log.ts";
import { restRoutes } from "./rest/index.ts";
import { adminUiRoutes } from "./routes/admin-ui.ts";
import { healthRoutes } from "./routes/health.ts";
import { trpcRoutes } from "./routes/trpc.ts";

export interface AppOptions {
  api: ApiDeps;
  logger: Logger;
  /** Folder of the built admin console; omitted when the UI is served elsewhere (Vite in dev). */
  adminDist?: string;
  /** Trust X-Forwarded-* headers from a reverse proxy. */
  trustProxy?: boolean;
  /** Origins allowed to call the REST API from browsers. */
  corsOrigins?: "*" | readonly string[];
}

/** Builds the HTTP app from its dependencies; nothing here reads the environment. */
export function createApp({ api, logger, adminDist, trustProxy = false, corsOrigins = "*" }: AppOptions) {
  const app = new Hono();

  // In the order a request meets them.
  app.use(requestId({ headerName: "X-Request-Id" }));
  app.use(requestLog(logger));

  app.route("/", healthRoutes(api.sql));
  app.use("/trpc/*", trpcRoutes(api, { logger, trustProxy }));
  app.route("/api", restRoutes(api, { logger, trustProxy, corsOrigins }));
  if (adminDist) app.route("/", adminUiRoutes(adminDist));

  app.onError((error, c) => {
    logger.error({ err: error, requestId: c.get("requestId") }, "unhandled error");
    return c.json({ error: "Internal server error", requestId: c.get("requestId") }, 500);
  });

  return app;
}
