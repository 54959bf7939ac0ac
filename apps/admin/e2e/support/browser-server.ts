import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import type { TestProject } from "vitest/node";
import { browserLaunchOptions } from "./browser.ts";
import { assertConsoleBuilt } from "./built-console.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The Chromium every browser file of the run connects to (`launchBrowser`), launched once here. */
    browserEndpoint: string;
  }
}

/**
 * One Chromium for the whole run (vitest's global setup of the e2e project): launching one per
 * file cost a second or two of CPU each. Files still share nothing in it: each test opens
 * contexts of its own (cookies, storage), and a file's `browser.close()` closes its contexts and
 * disconnects, leaving the browser to the next file.
 */
export default async function setup(project: TestProject) {
  await assertConsoleBuilt(fileURLToPath(new URL("../..", import.meta.url)));
  const server = await chromium.launchServer(browserLaunchOptions);
  project.provide("browserEndpoint", server.wsEndpoint());
  return () => server.close();
}
