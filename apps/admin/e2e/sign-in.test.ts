import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot } from "./support/browser.ts";
import { startTestServer, type TestServer } from "./support/server.ts";

const ADMIN = { email: "ops@example.com", password: "operator password 1" };

describe("signing in to the admin console", () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startTestServer({ INKWELL_ADMIN_EMAIL: ADMIN.email, INKWELL_ADMIN_PASSWORD: ADMIN.password }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("shows the server's message for a wrong password, then signs in and out with the session cookie", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url);

    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toBe("Email or password is incorrect.");
    await screenshot(page, "sign-in-error");

    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByTestId("signed-in-as").textContent()).toMatch(/^admin \(admin\), member since /);
    const cookies = await context.cookies();
    expect(cookies.find((cookie) => cookie.name === "inkwell_session")).toMatchObject({
      httpOnly: true,
      sameSite: "Lax",
    });
    await screenshot(page, "signed-in");

    await page.reload();
    await expect.poll(() => page.getByTestId("signed-in-as").isVisible()).toBe(true);

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect.poll(() => page.getByRole("button", { name: "Sign in" }).isVisible()).toBe(true);
    await context.close();
  });
});
