import { existsSync } from "node:fs";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";

/**
 * Serves the built admin console: real files first, then `index.html` for any
 * other GET so client-side routes survive a reload.
 */
export function adminUiRoutes(distDir: string) {
  const app = new Hono();
  if (!existsSync(join(distDir, "index.html"))) {
    return app.get("/", (c) =>
      c.text("The admin UI is not built. Run `pnpm build` (or `pnpm start`, which builds it).", 503),
    );
  }
  return app.use("/*", serveStatic({ root: distDir })).get("/*", serveStatic({ root: distDir, path: "index.html" }));
}
