/**
 * Parsers for URL search params. Anything a person can type into the address
 * bar must come out as a valid query, so each falls back instead of throwing.
 */
import type { SearchSchemaInput } from "@tanstack/react-router";

export const pageSizes = [10, 20, 50, 100] as const;

export function pickInt(value: unknown, fallback: number, min = 1, max = 100_000): number {
  const number = typeof value === "string" ? Number(value) : value;
  return typeof number === "number" && Number.isInteger(number) && number >= min && number <= max ? number : fallback;
}

export function pickPageSize(value: unknown, fallback = 20): number {
  const size = pickInt(value, fallback);
  return (pageSizes as readonly number[]).includes(size) ? size : fallback;
}

export function pickOne<T extends string>(value: unknown, options: readonly T[]): T | undefined {
  return typeof value === "string" && (options as readonly string[]).includes(value) ? (value as T) : undefined;
}

export function pickText(value: unknown, max = 100): string | undefined {
  const text = typeof value === "number" ? String(value) : value;
  if (typeof text !== "string") return undefined;
  const trimmed = text.trim().slice(0, max);
  return trimmed === "" ? undefined : trimmed;
}

export function pickDirection(value: unknown): "asc" | "desc" {
  return value === "asc" ? "asc" : "desc";
}

/** Search params of a page the user passes through on the way somewhere (sign-in, password change). */
export interface RedirectSearch {
  /** Where to go afterwards. */
  redirect?: string;
}

/** A same-site path to go back to after signing in; anything else becomes "/". */
export function safeRedirect(value: unknown): string {
  return typeof value === "string" && value.startsWith("/") && !value.startsWith("//") ? value : "/";
}

export function validateRedirectSearch(input: RedirectSearch & SearchSchemaInput): RedirectSearch {
  const { redirect } = input as unknown as Record<string, unknown>;
  return typeof redirect === "string" && safeRedirect(redirect) === redirect ? { redirect } : {};
}

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
