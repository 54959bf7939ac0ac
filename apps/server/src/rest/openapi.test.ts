import pino from "pino";
import { describe, expect, it } from "vitest";
import { restRoutes } from "./index.ts";
import openapi from "./openapi.json" with { type: "json" };

const documented = Object.entries(openapi.paths).flatMap(([path, operations]) =>
  Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`),
);

describe("the OpenAPI document", () => {
  it("describes exactly the REST routes the server has", () => {
    // Route registration does not touch the dependencies, so none are needed to list the routes.
    const app = restRoutes({} as never, { logger: pino({ level: "silent" }), trustProxy: 0 });
    const served = app.routes
      .filter((route) => route.method !== "ALL" && !/^\/(openapi\.json|docs)/.test(route.path))
      .map((route) => `${route.method} ${route.path}`);
    expect([...new Set(served)].sort()).toEqual([...documented].sort());
  });
});
