import axe from "axe-core";
import type { BrowserContext, Page } from "playwright-core";

declare global {
  interface Window {
    axe?: typeof axe;
  }
}

/** What the walk fails on: axe's two highest impacts (contrast below AA, unnamed controls, broken ARIA, …). */
const FAILING_IMPACTS = new Set(["serious", "critical"]);

/**
 * Loads axe-core into every page the context opens, before the page's own scripts (through the DevTools
 * protocol, like `seriousViolations`, so the console's Content-Security-Policy stays on). Its source goes
 * to the browser once, not once a page: sending it with every page cost about a second each.
 */
export async function axeOnEveryPage(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: axe.source });
}

/**
 * Runs axe-core (every rule it runs by default: WCAG 2.x A and AA, best practices) on the page as it is, and
 * returns its serious and critical violations, one line each with up to five offending elements. Injected
 * through the DevTools protocol, as `@axe-core/playwright` does: the console's Content-Security-Policy stays on
 * (unless `axeOnEveryPage` loaded it already).
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(axe.source);
  // Colours are measured as they end up: a table fades back in over 150 ms once a refetch ends (0.6 → 1), and
  // axe caught it at the start once (CI: /audit's headers at 4.32:1, which is 60 % of their colour).
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((animation) => animation instanceof CSSTransition)
        .map((transition) => transition.finished.catch(() => undefined)),
    ),
  );
  const results = await page.evaluate(() => {
    if (!window.axe) throw new Error("axe-core did not load");
    return window.axe.run(document, { resultTypes: ["violations"] });
  });
  return results.violations
    .filter((violation) => FAILING_IMPACTS.has(violation.impact ?? ""))
    .map((violation) => {
      const targets = violation.nodes.slice(0, 5).map((node) => {
        const summary = node.failureSummary?.split("\n").slice(1).join(" ").trim();
        return `${node.target.join(" ")}${summary ? ` (${summary})` : ""}`;
      });
      return `${violation.id} [${violation.impact}] ${violation.help}: ${targets.join("; ")}`;
    });
}
