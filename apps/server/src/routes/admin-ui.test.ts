import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminUiRoutes } from "./admin-ui.ts";

/** A console build of three files: the page, one hashed chunk, one file without a hash. */
describe("the admin console's files", () => {
  let dist: string;
  let app: ReturnType<typeof adminUiRoutes>;

  beforeAll(async () => {
    dist = await mkdtemp(join(tmpdir(), "inkwell-admin-dist-"));
    await mkdir(join(dist, "assets"));
    await writeFile(join(dist, "index.html"), '<script src="/assets/index-Ab12Cd34.js" nonce="__INKWELL_CSP_NONCE__">');
    await writeFile(join(dist, "assets", "index-Ab12Cd34.js"), "console.log(1)");
    await writeFile(join(dist, "color-scheme.js"), "void 0");
    app = adminUiRoutes(dist);
  });
  afterAll(() => rm(dist, { recursive: true, force: true }));

  it("lets a browser keep a hashed chunk for a year without asking again", async () => {
    const response = await app.request("/assets/index-Ab12Cd34.js");
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("console.log(1)");
    expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(response.headers.get("content-security-policy")).toContain("script-src 'self'");
  });

  it("has the browser ask again for a file without a hash, and never keep the page", async () => {
    const script = await app.request("/color-scheme.js");
    expect(script.status).toBe(200);
    expect(script.headers.get("cache-control")).toBe("no-cache");
    for (const path of ["/", "/users/3", "/index.html"]) {
      const page = await app.request(path);
      expect(page.status).toBe(200);
      expect(page.headers.get("cache-control")).toBe("no-store");
      expect(await page.text()).not.toContain("__INKWELL_CSP_NONCE__");
    }
  });

  it("answers 404 for a chunk that is not there, which no cache may keep as a year-long script", async () => {
    for (const path of [
      "/assets/index-Old00000.js",
      "/assets/",
      "/assets/a%00b.js",
      `/assets/${"x".repeat(5_000)}.js`,
    ]) {
      const response = await app.request(path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get("cache-control"), path).toBeNull();
    }
    // Dot segments, even encoded, leave /assets/ before routing: the page, never kept.
    for (const path of ["/assets/../index.html", "/assets/%2e%2e/index.html", "/assets/%2E%2E/%2e%2e/"]) {
      const response = await app.request(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("cache-control"), path).toBe("no-store");
    }
  });
});
