import { type ApiDeps, DATABASE_UNAVAILABLE, presentedCredential } from "@inkwell/api";
import { isDatabaseUnavailable } from "@inkwell/db";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import { timeout } from "hono/timeout";
import type { Logger } from "./logger.ts";
import type { Metrics } from "./metrics.ts";
import { compressAnswers } from "./middleware/compress-answers.ts";
import { exceptEventStreams, isEventStreamRequest } from "./middleware/except-event-streams.ts";
import { httpCaching } from "./middleware/http-caching.ts";
import { liveStreamCap } from "./middleware/live-stream-cap.ts";
import { type RateLimits, rateLimit } from "./middleware/rate-limit.ts";
import type { RateStore } from "./middleware/rate-store.ts";
import { requestLog } from "./middleware/request-log.ts";
import { clientAddress } from "./request-meta.ts";
import { restCors } from "./rest/cors.ts";
import { restRoutes } from "./rest/index.ts";
import { adminUiRoutes } from "./routes/admin-ui.ts";
import { avatarRoutes } from "./routes/avatars.ts";
import { exportRoutes } from "./routes/export.ts";
import { healthRoutes } from "./routes/health.ts";
import { metricsRoutes } from "./routes/metrics.ts";
import { trpcRoutes } from "./routes/trpc.ts";
import { rpcRoutes } from "./rpc/index.ts";
import { isSubscriptionRequest, subscriptionConnectionToken, trpcCallCount } from "./trpc-request.ts";

export interface AppOptions {
  api: ApiDeps;
  logger: Logger;
  /** Folder of the built admin console; omitted when the UI is served elsewhere (Vite in dev). */
  adminDist?: string;
  /** How many reverse proxies in front append trusted X-Forwarded-* entries (0: none, the headers are ignored). */
  trustProxy?: number;
  /** Origins allowed to call the REST API from browsers. */
  corsOrigins?: "*" | readonly string[];
  /** Where rate-limit hits are counted (shared by every process; the server closes it). */
  rateStore: RateStore;
  limits?: {
    bodyLimitBytes: number;
    requestTimeoutMs: number;
    rate: RateLimits;
    /** Live streams one client address may hold open on this process (0: no cap). */
    liveStreamsPerAddress: number;
  };
  /** Prometheus metrics served at /metrics, behind a bearer token when one is given; without, /metrics is 404. */
  metrics?: { collector: Metrics; token?: string };
  /** True while the process has not finished starting: `/readyz` answers 503 until then. */
  starting?: () => boolean;
}

const defaultLimits = {
  bodyLimitBytes: 1024 * 1024,
  requestTimeoutMs: 30_000,
  rate: { perIpPerMinute: 600, perCredentialPerMinute: 300 },
  liveStreamsPerAddress: 20,
};

/** Builds the HTTP app from its dependencies; nothing here reads the environment. */
export function createApp({
  api,
  logger,
  adminDist,
  trustProxy = 0,
  corsOrigins = "*",
  rateStore,
  limits = defaultLimits,
  metrics,
  starting,
}: AppOptions) {
  const app = new Hono();

  // In the order a request meets them.
  app.use(requestId({ headerName: "X-Request-Id" }));
  app.use(requestLog(logger));
  if (metrics) app.use(metrics.collector.middleware);
  // Security headers (hono/secure-headers) are set by the HTTP server on every answer: security-headers.ts.
  app.use(exceptEventStreams(compressAnswers()));
  app.use("/api/*", restCors(corsOrigins));
  // Limits count calls (each of a tRPC batch) per address and per the credential the transport uses:
  // /trpc reads the session cookie (and a subscription's token parameter), /api never reads cookies.
  const address = (c: Context) => clientAddress(c, { trustProxy }) ?? "unknown";
  app.use(
    "/trpc/*",
    rateLimit(rateStore, limits.rate, {
      address,
      calls: trpcCallCount,
      credential: (c) =>
        presentedCredential(c.req.raw.headers, { cookies: true, connectionToken: subscriptionConnectionToken(c) }),
    }),
    liveStreamCap({ perAddress: limits.liveStreamsPerAddress, address, isStream: isSubscriptionRequest }),
  );
  app.use(
    "/api/*",
    rateLimit(rateStore, limits.rate, {
      address,
      calls: () => 1,
      credential: (c) => presentedCredential(c.req.raw.headers, { cookies: false }),
    }),
  );
  // CSV downloads read the session cookie like /trpc, and count as one call each.
  app.use(
    "/export/*",
    rateLimit(rateStore, limits.rate, {
      address,
      calls: () => 1,
      credential: (c) => presentedCredential(c.req.raw.headers, { cookies: true }),
    }),
  );
  for (const path of ["/trpc/*", "/api/*"]) {
    const limitBody = bodyLimit({
      maxSize: limits.bodyLimitBytes,
      // The rest of the body is never read, so the connection cannot carry another request: say so.
      onError: (c) =>
        c.json({ error: `Request body larger than ${limits.bodyLimitBytes} bytes.` }, 413, { Connection: "close" }),
    });
    // A GET or HEAD has no body to limit (@hono/node-server never reads one), and asking whether it has one
    // builds a whole web Request: about 6 % of a profile read's CPU (BENCHMARKS.md, finding 11).
    app.use(path, (c, next) => (c.req.method === "GET" || c.req.method === "HEAD" ? next() : limitBody(c, next)));
    app.use(path, exceptEventStreams(timeout(limits.requestTimeoutMs)));
  }
  // ETag, 304 and Cache-Control for reads; whether an answer may be shared depends on the credential the
  // transport reads (/api: the Authorization header only; /trpc: the header or the session cookie).
  app.use(
    "/api/*",
    httpCaching({
      signedIn: (c) => presentedCredential(c.req.raw.headers, { cookies: false }).source !== "none",
      vary: "Authorization",
    }),
  );
  app.use(
    "/trpc/*",
    httpCaching({
      signedIn: (c) => presentedCredential(c.req.raw.headers, { cookies: true }).source !== "none",
      vary: "Authorization, Cookie",
      skip: (c) => isEventStreamRequest(c) || isSubscriptionRequest(c),
    }),
  );

  if (metrics) app.route("/", metricsRoutes(metrics.collector, metrics.token));
  // Off: say so plainly, before the admin console's catch-all route would answer with its page.
  else app.get("/metrics", (c) => c.notFound());

  app.route("/", healthRoutes(api.sql, starting));
  app.route("/", avatarRoutes());
  app.use("/trpc/*", trpcRoutes(api, { logger, trustProxy }));
  // Before /api, whose RealWorld routes would otherwise answer for /api/rpc.
  app.route("/api/rpc", rpcRoutes(api, { logger, trustProxy }));
  app.route("/api", restRoutes(api, { logger, trustProxy }));
  app.route("/export", exportRoutes(api, { logger, trustProxy }));
  if (adminDist) app.route("/", adminUiRoutes(adminDist));

  app.onError((error, c) => {
    // Middleware answers (401 from bearer auth, 504 from the timeout) arrive as HTTPExceptions; answered through
    // the context, they keep the headers set so far (X-Request-Id, RateLimit, CORS).
    if (error instanceof HTTPException) {
      const response = error.getResponse();
      return c.newResponse(response.body, response);
    }
    if (isDatabaseUnavailable(error))
      return c.json({ error: DATABASE_UNAVAILABLE, requestId: c.get("requestId") }, 503);
    logger.error({ err: error, requestId: c.get("requestId") }, "unhandled error");
    return c.json({ error: "Internal server error", requestId: c.get("requestId") }, 500);
  });

  return app;
}
