import type { BrowserContext } from "playwright-core";
import { expect } from "vitest";

/**
 * The console walk and shell tests do many steps per test on a two-core machine that other test runs share;
 * each step gets 30 s (the default context gives 10 s, which a loaded machine exceeds while nothing is wrong).
 */
export async function roomy(opening: Promise<BrowserContext>): Promise<BrowserContext> {
  const context = await opening;
  context.setDefaultTimeout(30_000);
  return context;
}

/** `expect.poll` that waits up to 30 s. */
export function slowPoll<T>(read: () => T | Promise<T>) {
  return expect.poll(read, { timeout: 30_000, interval: 200 });
}
