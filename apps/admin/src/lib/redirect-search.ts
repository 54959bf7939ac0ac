/**
 * The `redirect` search param of the pages a user passes through on the way
 * somewhere (sign-in, password change, two-factor setup). It comes from the URL, so anyone can
 * craft it: only a path in this app is ever followed, never another site.
 */
import { z } from "zod/mini";

/** Stands in for the app's own origin: a path resolved against it must stay on it. */
const APP_ORIGIN = "https://app.invalid";

/**
 * True for a path in this app ("/users?role=admin"). Not for "//evil.example"
 * or "/\evil.example", which browsers read as another host, nor for full URLs.
 */
export function isAppPath(value: string): boolean {
  if (!value.startsWith("/")) return false;
  try {
    return new URL(value, APP_ORIGIN).origin === APP_ORIGIN;
  } catch {
    return false;
  }
}

/** A path in this app to go to afterwards; anything else becomes "/". */
export function safeRedirect(value: unknown): string {
  return typeof value === "string" && isAppPath(value) ? value : "/";
}

export const redirectSearchSchema = z.object({
  /** Where to go afterwards; dropped unless it is a path in this app. */
  redirect: z.catch(z.optional(z.string().check(z.refine(isAppPath))), undefined),
});

export type RedirectSearch = z.output<typeof redirectSearchSchema>;

/** Search params for `page` that bring the user back to `href` afterwards (never to `page` itself). */
function returnTo(page: string, href: string): RedirectSearch {
  return href === "/" || href.startsWith(page) ? {} : { redirect: href };
}

/** Search params for the sign-in page that bring the user back to `href` afterwards. */
export function signInSearch(href: string): RedirectSearch {
  return returnTo("/sign-in", href);
}

/** Search params for the change-password page that bring the user back to `href` afterwards. */
export function changePasswordSearch(href: string): RedirectSearch {
  return returnTo("/change-password", href);
}

/** Search params for the two-factor setup page that bring the user back to `href` afterwards. */
export function twoFactorSetupSearch(href: string): RedirectSearch {
  return returnTo("/two-factor-setup", href);
}
