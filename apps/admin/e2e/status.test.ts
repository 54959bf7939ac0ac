import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot } from "./support/browser.ts";
import { startTestServer, type TestServer } from "./support/server.ts";

describe("admin console served by the server", () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("renders the server version and database status from a typed tRPC query", async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    await expect.poll(() => page.getByTestId("server-version").textContent()).toMatch(/^\d+\.\d+\.\d+/);
    expect(await page.getByTestId("database-status").textContent()).toMatch(
      /^reachable .*migrations (\d+)\/\1 applied$/,
    );
    await screenshot(page, "status");
  });

  it("serves index.html for client-side routes so a reload works", async () => {
    const response = await fetch(`${server.url}/users/42`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<div id="root">');
  });
});
