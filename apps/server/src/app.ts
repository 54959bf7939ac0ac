import { type ApiDeps, DATABASE_UNAVAILABLE } from "@inkwell/api";
import { isDatabaseUnavailable } from "@inkwell/db";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { compress } from "hono/compress";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { timeout } from "hono/timeout";
import type { Logger } from "./logger.ts";
import type { Metrics } from "./metrics.ts";
import { exceptEventStreams } from "./middleware/except-event-streams.ts";
import { type RateLimits, rateLimits } from "./middleware/rate-limit.ts";
import { requestLog } from "./middleware/request-log.ts";
import { clientAddress } from "./request-meta.ts";
import { restRoutes } from "./rest/index.ts";
import { adminUiRoutes } from "./routes/admin-ui.ts";
import { healthRoutes } from "./routes/health.ts";
import { metricsRoutes } from "./routes/metrics.ts";
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
  limits?: { bodyLimitBytes: number; requestTimeoutMs: number; rate: RateLimits };
  /** Prometheus metrics served at /metrics, behind a bearer token when one is given. */
  metrics?: { collector: Metrics; token?: string };
}

const defaultLimits = {
  bodyLimitBytes: 1024 * 1024,
  requestTimeoutMs: 30_000,
  rate: { perIpPerMinute: 600, perCredentialPerMinute: 300 },
};

/** Builds the HTTP app from its dependencies; nothing here reads the environment. */
export function createApp({
  api,
  logger,
  adminDist,
  trustProxy = false,
  corsOrigins = "*",
  limits = defaultLimits,
  metrics,
}: AppOptions) {
  const app = new Hono();

  // In the order a request meets them.
  app.use(requestId({ headerName: "X-Request-Id" }));
  app.use(requestLog(logger));
  if (metrics) app.use(metrics.collector.middleware);
  app.use(secureHeaders());
  app.use(exceptEventStreams(compress()));
  const limiters = rateLimits(api.sql, limits.rate, (c) => clientAddress(c, { trustProxy }) ?? "unknown");
  for (const path of ["/trpc/*", "/api/*"]) {
    for (const limiter of limiters) app.use(path, limiter);
    app.use(
      path,
      bodyLimit({
        maxSize: limits.bodyLimitBytes,
        onError: (c) => c.json({ error: `Request body larger than ${limits.bodyLimitBytes} bytes.` }, 413),
      }),
    );
    app.use(path, exceptEventStreams(timeout(limits.requestTimeoutMs)));
  }

  if (metrics) app.route("/", metricsRoutes(metrics.collector, metrics.token));

  app.route("/", healthRoutes(api.sql));
  app.use("/trpc/*", trpcRoutes(api, { logger, trustProxy }));
  app.route("/api", restRoutes(api, { logger, trustProxy, corsOrigins }));
  if (adminDist) app.route("/", adminUiRoutes(adminDist));

  app.onError((error, c) => {
    // Middleware answers (401 from bearer auth, 504 from the timeout) arrive as HTTPExceptions.
    if (error instanceof HTTPException) return error.getResponse();
    if (isDatabaseUnavailable(error))
      return c.json({ error: DATABASE_UNAVAILABLE, requestId: c.get("requestId") }, 503);
    logger.error({ err: error, requestId: c.get("requestId") }, "unhandled error");
    return c.json({ error: "Internal server error", requestId: c.get("requestId") }, 500);
  });

  return app;
}
