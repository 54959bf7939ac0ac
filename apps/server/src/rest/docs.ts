import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Hono } from "hono";
import getAbsoluteFSPath from "swagger-ui-dist/absolute-path.js";

/**
 * The package's folder, from its small path module: its entry point requires the 1.7 MB browser bundle into Node
 * (about 0.3 s of CPU at every start of a server or a test worker, for files the server only sends).
 */
const assets = getAbsoluteFSPath();
const served = { "swagger-ui.css": "text/css", "swagger-ui-bundle.js": "text/javascript" } as const;
/** Own keys only, as `routes/export.ts` checks its names: `in` also finds "constructor", "toString", … */
const isServed = (name: string): name is keyof typeof served => Object.hasOwn(served, name);

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Inkwell REST API</title>
  <link rel="stylesheet" href="/api/docs/swagger-ui.css" />
</head>
<body>
  <div id="ui"></div>
  <script src="/api/docs/swagger-ui-bundle.js"></script>
  <script src="/api/docs/init.js"></script>
</body>
</html>`;

const init = `window.ui = SwaggerUIBundle({ url: "/api/openapi.json", dom_id: "#ui", deepLinking: true });`;

/** The OpenAPI document and an interactive reference, served from the swagger-ui-dist package (no CDN). */
export function docsRoutes(document: object) {
  const json = JSON.stringify(document);
  return new Hono()
    .get("/openapi.json", (c) => c.body(json, 200, { "content-type": "application/json" }))
    .get("/docs", (c) => c.html(page))
    .get("/docs/init.js", (c) => c.body(init, 200, { "content-type": "text/javascript" }))
    .get("/docs/:asset", async (c) => {
      const asset = c.req.param("asset");
      if (!isServed(asset)) return c.notFound();
      const content = await readFile(join(assets, asset));
      return c.body(content, 200, { "content-type": served[asset], "cache-control": "public, max-age=86400" });
    });
}
