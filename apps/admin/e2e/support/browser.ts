import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type LaunchOptions,
  type Page,
} from "playwright-core";
import { inject } from "vitest";

/**
 * Debian's Chromium; tools never download their own browser here. Its headless shell (Debian's
 * `chromium-headless-shell`, the same engine without the browser's own windowing layers, and what Playwright
 * runs for headless Chromium by default) when installed: the same browser files cost about a fifth less of its
 * CPU (operators.test.ts: 57 s → 45 s of Chromium CPU), and Chromium is most of the loop's CPU (README, "How fast
 * the loop is"). `CHROMIUM_PATH` picks another.
 */
const executablePath =
  process.env.CHROMIUM_PATH ||
  (existsSync("/usr/bin/chromium-headless-shell") ? "/usr/bin/chromium-headless-shell" : "/usr/bin/chromium");

export const screenshotDir = join(import.meta.dirname, "..", "..", "test-results", "screenshots");

export const browserLaunchOptions: LaunchOptions = {
  executablePath,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    // The GPU thread (software compositing here) inside the browser process instead of a process of its own:
    // operators.test.ts 51 s → 46 s of Chromium CPU (three runs each, process accounting).
    "--in-process-gpu",
  ],
};

/**
 * The run's Chromium (launched once by `browser-server.ts`), or one of this file's own when none
 * was provided. Close it in `afterAll`: on the shared one that closes this file's contexts and disconnects.
 */
export function launchBrowser(): Promise<Browser> {
  const endpoint = inject("browserEndpoint");
  return endpoint ? chromium.connect(endpoint) : chromium.launch(browserLaunchOptions);
}

/**
 * Saves a full-page screenshot for people to look at; no test reads it. Off unless `E2E_SCREENSHOTS=1`:
 * about 130 full pages a run, each rendered, encoded and sent over the DevTools connection (the walk alone
 * took 164 s with them, 154 s without; README, "How fast the loop is").
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.E2E_SCREENSHOTS !== "1") return;
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/** A fresh context (cookies, storage) that fails fast: nothing in the console should take 10 s. */
export async function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  // Reduced motion turns Mantine's transitions off: screenshots never catch a dialog half-open.
  const context = await browser.newContext({ reducedMotion: "reduce", ...options });
  context.setDefaultTimeout(10_000);
  // E2E_CONSOLE=1 prints what the pages log and every answer of 400 or more, to see why a page did not get on.
  if (process.env.E2E_CONSOLE) {
    context.on("console", (message) => console.log(`[console.${message.type()}] ${message.text()}`));
    context.on("response", (response) => {
      if (response.status() >= 400)
        void response
          .text()
          .then((body) =>
            console.log(
              `[${response.status()}] ${response.request().method()} ${response.url()} ${body.slice(0, 600)}`,
            ),
          );
    });
  }
  return context;
}
