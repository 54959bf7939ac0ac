import { startWebhookReceiver, type WebhookReceiver } from "@inkwell/server/testing/webhooks";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { poll, signIn } from "./support/admin.ts";
import { launchBrowser, newContext, screenshot } from "./support/browser.ts";
import { startTestServer, type TestServer } from "./support/server.ts";

const ADMIN = { email: "admin@example.com", password: "admin password 1" };

/** The Webhooks page in Chromium, against a server that delivers to a real receiver on 127.0.0.1. */
describe("the Webhooks page", () => {
  let receiver: WebhookReceiver;
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    // The first delivery is refused, so the page shows a failed attempt before the retry succeeds.
    receiver.answer = (arrival) => (arrival.number === 1 ? { status: 503, body: "busy" } : { status: 200, body: "ok" });
    [server, browser] = await Promise.all([
      startTestServer({ WEBHOOK_ALLOWED_HOSTS: "127.0.0.1", WEBHOOK_RETRY_DELAYS: "1s" }),
      launchBrowser(),
    ]);
    context = await newContext(browser, { viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await signIn(page, server.url, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
    await receiver?.close();
  });

  it("creates an endpoint (secret shown once), sees a delivery with its attempts, replays it, disables and deletes it", async () => {
    await page.getByRole("link", { name: "Webhooks" }).click();
    await page.getByText("No endpoints").waitFor();
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("textbox", { name: "URL" }).fill(`${receiver.url}/inkwell`);
    await dialog.getByRole("checkbox", { name: "user.created" }).check();
    await dialog.getByRole("button", { name: "Add endpoint" }).click();
    const secret = (await page.getByTestId("webhook-secret").textContent()) ?? "";
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await screenshot(page, "webhooks-secret");
    await dialog.getByRole("button", { name: "Done" }).click();
    await poll(() => page.getByTestId("webhook-secret").count()).toBe(0);

    const endpoints = page.getByRole("table", { name: "Webhook endpoints" });
    await poll(() => endpoints.textContent()).toContain(`${receiver.url}/inkwell`);
    // Reloaded, the page has no way to show the secret again.
    await page.reload();
    await poll(() => endpoints.textContent()).toContain("user.created");
    expect(await page.content()).not.toContain(secret.slice("whsec_".length));

    // Something happens: a sign-up.
    const signUp = await fetch(`${server.url}/api/users`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        user: { username: "hooked", email: "hooked@example.com", password: "a long enough password" },
      }),
    });
    expect(signUp.status).toBe(201);

    await page.getByRole("button", { name: `Deliveries of ${receiver.url}/inkwell` }).click();
    const deliveries = page.getByRole("table", { name: "Deliveries" });
    const row = deliveries.getByRole("row").filter({ hasText: "user.created" });
    await poll(() => row.locator("td").nth(1).textContent()).toBe("succeeded");
    expect(await row.locator("td").nth(2).textContent()).toBe("2 attempts");
    const webhookId = String(receiver.arrivals[1]?.headers["webhook-id"]);
    expect(await row.textContent()).toContain(webhookId);
    // What arrived verifies with the secret the page showed.
    const arrival = receiver.arrivals[1];
    expect(new Webhook(secret).verify(arrival?.body ?? "", arrival?.headers as Record<string, string>)).toMatchObject({
      type: "user.created",
      data: { user: { username: "hooked", email: "hooked@example.com" } },
    });

    const [{ id: deliveryId } = { id: 0 }] = await server.database.sql<{ id: number }[]>`
      select id::int from webhook_deliveries`;
    await page.getByRole("button", { name: `Attempts of delivery ${deliveryId}` }).click();
    const attempts = page.getByRole("table", { name: `Attempts of delivery ${deliveryId}` });
    await poll(() => attempts.locator("tbody tr").first().locator("td").allTextContents()).toEqual([
      "1",
      expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/),
      expect.stringMatching(/^\d+ ms$/),
      "503busy",
    ]);
    expect(await attempts.textContent()).toContain("busy");
    await screenshot(page, "webhooks-attempts");
    await page.keyboard.press("Escape");

    // Rotate the secret: a new one, shown once, signs from now on.
    await page.getByRole("button", { name: `Rotate the secret of ${receiver.url}/inkwell` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Rotate secret" }).click();
    await page.getByTestId("webhook-secret").waitFor();
    const rotated = (await page.getByTestId("webhook-secret").textContent()) ?? "";
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await page.getByRole("dialog").getByRole("button", { name: "Done" }).click();

    await page.getByRole("button", { name: `Replay delivery ${deliveryId}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Replay" }).click();
    await poll(() => receiver.arrivals.length).toBe(3);
    const replayed = receiver.arrivals[2];
    expect(replayed?.headers["webhook-id"]).toBe(webhookId);
    expect(() =>
      new Webhook(rotated).verify(replayed?.body ?? "", replayed?.headers as Record<string, string>),
    ).not.toThrow();
    expect(() =>
      new Webhook(secret).verify(replayed?.body ?? "", replayed?.headers as Record<string, string>),
    ).toThrow();
    await poll(() => row.locator("td").nth(2).textContent()).toBe("3 attempts");
    await screenshot(page, "webhooks");

    // Disable: the switch turns off and stays off after a reload.
    await page.getByRole("switch", { name: `Enabled: ${receiver.url}/inkwell` }).click();
    await poll(() => page.getByText(`${receiver.url}/inkwell is disabled.`).isVisible()).toBe(true);
    const [stored] = await server.database.sql`select enabled from webhook_endpoints`;
    expect(stored).toEqual({ enabled: false });

    await page.getByRole("button", { name: `Delete ${receiver.url}/inkwell` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete endpoint" }).click();
    await poll(() => page.getByText("No endpoints").isVisible()).toBe(true);
    expect(await server.database.sql`select 1 from webhook_deliveries`).toHaveLength(0);
    const audited = await server.database.sql<{ action: string }[]>`
      select action from audit_events where action like 'webhooks.%' order by id`;
    expect(audited.map((event) => event.action)).toEqual([
      "webhooks.create",
      "webhooks.rotateSecret",
      "webhooks.replay",
      "webhooks.update",
      "webhooks.delete",
    ]);
  });
});
