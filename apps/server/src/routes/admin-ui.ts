import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import { type Context, Hono, type MiddlewareHandler } from "hono";

/** Vite's build output: every file's name carries a hash of its content. */
const ASSETS = "/assets/";

/** Where the built index.html takes the per-response style nonce (see apps/admin/index.html). */
const NONCE_PLACEHOLDER = "__INKWELL_CSP_NONCE__";

/**
 * The admin console's Content-Security-Policy (docs/security.md explains each source).
 * Scripts only from our own files; styles from our own files plus the `<style>` elements
 * Mantine writes at run time, which carry `styleNonce`. Style attributes need nothing:
 * React and Mantine set styles through the CSSOM, which CSP does not restrict.
 * Images: our own files and any https: host (avatars are remote URLs; http: ones are
 * upgraded to https: on an HTTPS console) and data: (icons in Mantine's CSS).
 */
export function adminContentSecurityPolicy(styleNonce?: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    styleNonce ? `style-src 'self' 'nonce-${styleNonce}'` : "style-src 'self'",
    "img-src 'self' https: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * Serves the built admin console: real files first, then `index.html` for any
 * other GET so client-side routes survive a reload. Every answer carries the
 * console's Content-Security-Policy; `index.html` gets a fresh style nonce each time.
 */
export function adminUiRoutes(distDir: string) {
  const app = new Hono();
  app.use("/*", async (c, next) => {
    await next();
    if (!c.res.headers.has("Content-Security-Policy")) {
      c.res.headers.set("Content-Security-Policy", adminContentSecurityPolicy());
    }
  });
  if (!existsSync(join(distDir, "index.html"))) {
    return app.get("/", (c) =>
      c.text("The admin UI is not built. Run `pnpm build` (or `pnpm start`, which builds it).", 503),
    );
  }

  // Read on each request, as the static files are: a rebuild while the server runs is picked up.
  const indexHtml = async (c: Context) => {
    const nonce = randomBytes(18).toString("base64");
    const html = (await readFile(join(distDir, "index.html"), "utf8")).replaceAll(NONCE_PLACEHOLDER, nonce);
    return c.html(html, 200, {
      "Content-Security-Policy": adminContentSecurityPolicy(nonce),
      // A nonce is good for one response: never cache the page that carries it.
      "Cache-Control": "no-store",
    });
  };

  return (
    app
      .get("/", indexHtml)
      .get("/index.html", indexHtml)
      .use("/*", cacheFiles, serveStatic({ root: distDir }))
      // A chunk a deployment removed: a 404, not index.html, which a browser would refuse to run as a script.
      .get(`${ASSETS}*`, (c) => c.notFound())
      .get("/*", indexHtml)
  );
}

/**
 * A hashed file never changes under its name, so browsers keep it for a year without asking again (and
 * reuse the scripts' compiled code). Every other file (the favicon, the colour-scheme script) is asked
 * for again each time. Set on the answer serveStatic made (its `onFound` runs after the answer is built).
 */
const cacheFiles: MiddlewareHandler = async (c, next) => {
  await next();
  if (c.res.status !== 200 || c.res.headers.has("Cache-Control")) return;
  const hashed = c.req.path.startsWith(ASSETS);
  c.res.headers.set("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
};
