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
    expect(loadedModules().filter((path) => path.includes("swagger-ui-dist"))).toEqual([
      expect.stringMatching(/swagger-ui-dist\/absolute-path\.js$/),
    ]);
  });

  it("answers 404 to any other name, however it is spelled", async () => {
    const docs = docsRoutes({ openapi: "3.1.0" });
    const names = [
      "package.json",
      // Names every object has through its prototype.
      "constructor",
      "__proto__",
      "toString",
      "hasOwnProperty",
      "valueOf",
      // Another folder, NUL, a lone surrogate, a long name, another case.
      "..%2Fpackage.json",
      "%2e%2e%2fpackage.json",
      "swagger-ui.css%00.js",
      "%ED%A0%80",
      "x".repeat(5_000),
      "SWAGGER-UI.CSS",
    ];
    for (const name of names) {
      expect((await docs.request(`/docs/${name}`)).status, name).toBe(404);
    }
  });
});
