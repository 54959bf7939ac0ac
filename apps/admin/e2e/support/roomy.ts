import type { BrowserContext } from "playwright-core";
import { poll } from "./admin.ts";

/** How long each step may take in the files that use this. */
export const ROOMY_MS = 30_000;

/**
 * The console walk, shell and moderation tests do many steps per test on a two-core machine that other test runs share;
 * each step gets 30 s (the default context gives 10 s, which a loaded machine exceeds while nothing is wrong).
 */
export async function roomy(opening: Promise<BrowserContext>): Promise<BrowserContext> {
  const context = await opening;
  context.setDefaultTimeout(ROOMY_MS);
  return context;
}

/** `expect.poll` that waits up to 30 s. */
export function slowPoll<T>(read: () => T | Promise<T>) {
  return poll(read, ROOMY_MS);
}
