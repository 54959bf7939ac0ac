import { Hono } from "hono";
import { AVATAR_NAME, avatarSvg } from "./avatar-svg.ts";

/**
 * `/avatars/<name>.svg`: a generated avatar (initials on a colour) for any name,
 * so seeded users have pictures without any third-party image host. Same origin
 * as the console, which its Content-Security-Policy (`img-src 'self'`) allows.
 */
export function avatarRoutes() {
  return new Hono().get("/avatars/:file", (c) => {
    const name = c.req.param("file").match(/^(.+)\.svg$/)?.[1];
    if (!name || !AVATAR_NAME.test(name)) return c.notFound();
    return c.body(avatarSvg(name), 200, {
      "Content-Type": "image/svg+xml; charset=utf-8",
      // The same name always draws the same picture.
      "Cache-Control": "public, max-age=604800, immutable",
      // Opened on its own, an SVG is a document: this one may load and run nothing.
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    });
  });
}
