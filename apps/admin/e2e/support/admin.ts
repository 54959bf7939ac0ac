import type { Locator, Page } from "playwright-core";
import { expect } from "vitest";

/** Signs in through the form and waits for the app shell. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByRole("textbox", { name: "Email" }).fill(email);
  await page.getByRole("textbox", { name: "Password", exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByTestId("user-menu").waitFor();
}

/** Text of the alert Mantine renders (title and message). */
export async function alertText(page: Page): Promise<string> {
  const alert = page.getByRole("alert").first();
  await alert.waitFor();
  return (await alert.textContent()) ?? "";
}

/** A tRPC query over plain HTTP, as a script would call it. */
export async function trpcQuery(
  baseUrl: string,
  path: string,
  input?: unknown,
  headers: Record<string, string> = {},
): Promise<{
  status: number;
  body: { result?: { data?: { json?: unknown } }; error?: { json?: { message?: string } } };
}> {
  const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  const response = await fetch(`${baseUrl}/trpc/${path}${query}`, { headers });
  return { status: response.status, body: await response.json() };
}

/** A tRPC mutation over plain HTTP, as a script would make it (with a bearer token when given). */
export async function trpcMutation(
  baseUrl: string,
  path: string,
  input: unknown,
  token?: string,
): Promise<{
  status: number;
  body: { result?: { data?: { json?: unknown } }; error?: { json?: { message?: string } } };
}> {
  const response = await fetch(`${baseUrl}/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ json: input }),
  });
  return { status: response.status, body: await response.json() };
}

/** Waits (up to `timeout` ms) until the page's URL search params include `expected`. */
export async function expectSearch(page: Page, expected: Record<string, string>, timeout?: number): Promise<void> {
  await poll(() => Object.fromEntries(new URL(page.url()).searchParams), timeout).toMatchObject(expected);
}

/** The text a screen reader announces as the field's description: where Mantine puts its error. */
export async function describedBy(field: Locator): Promise<string> {
  const ids = (await field.getAttribute("aria-describedby"))?.split(/\s+/).filter(Boolean) ?? [];
  const texts = await Promise.all(ids.map((id) => field.page().locator(`[id="${id}"]`).textContent()));
  return texts.join(" ");
}

/**
 * `expect.poll` with room for a route's code to load on a busy two-core machine (the default gives up after 1 s);
 * files with many steps per test give it more (`slowPoll` in `roomy.ts`).
 */
export function poll<T>(read: () => T | Promise<T>, timeout = 10_000) {
  return expect.poll(read, { timeout, interval: 100 });
}

/**
 * Opens a Mantine select and picks one of its options. On a busy machine the open dropdown can go hidden before the
 * click lands (it hides while its field is re-rendered or out of view, and stays in the DOM invisible): then this
 * closes it and opens it again, up to three times, rather than waiting out the whole click timeout.
 */
export async function chooseOption(combobox: Locator, name: string | RegExp): Promise<void> {
  const option = combobox.page().getByRole("option", { name, exact: typeof name === "string" });
  for (let attempt = 1; ; attempt++) {
    await combobox.click();
    try {
      await option.click({ timeout: 3_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
      await combobox.page().keyboard.press("Escape");
    }
  }
}
