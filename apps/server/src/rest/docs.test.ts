import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { docsRoutes } from "./docs.ts";

const loadedModules = () => Object.keys(createRequire(import.meta.url).cache);

describe("the REST reference pages", () => {
  it("serves swagger-ui's files without loading its browser bundle into the server", async () => {
    const docs = docsRoutes({ openapi: "3.1.0" });
    const bundle = await docs.request("/docs/swagger-ui-bundle.js");
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get("content-type")).toBe("text/javascript");
    expect((await bundle.text()).length).toBeGreaterThan(1_000_000);
    expect((await docs.request("/docs/swagger-ui.css")).status).toBe(200);
    expect((await docs.request("/docs/package.json")).status).toBe(404);
    expect(loadedModules().filter((path) => path.includes("swagger-ui-dist"))).toEqual([
      expect.stringMatching(/swagger-ui-dist\/absolute-path\.js$/),
    ]);
  });
});
