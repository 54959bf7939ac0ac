import { Hono } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import type { Metrics } from "../metrics.ts";

/** `/metrics` in Prometheus' text format, optionally behind a bearer token. */
export function metricsRoutes(metrics: Metrics, token?: string) {
  const app = new Hono();
  if (token) app.use("/metrics", bearerAuth({ token }));
  return app.get("/metrics", async (c) =>
    c.body(await metrics.registry.metrics(), 200, { "content-type": metrics.registry.contentType }),
  );
}
