/**
 * Absolute links for emails, on the public base URL (`PUBLIC_URL`, else the
 * server's own URL). Paths are the app's own; a caller can never point a link
 * at another host.
 */
export interface LinkBuilder {
  /** `path` must start with one `/`; `query` values are encoded. */
  to(path: string, query?: Record<string, string>): string;
  /** The admin console's account page, where notifications are turned off. */
  accountSettings(): string;
}

export function createLinkBuilder(baseUrl: () => string): LinkBuilder {
  function to(path: string, query: Record<string, string> = {}): string {
    if (!path.startsWith("/") || path.startsWith("//") || path.includes("\\")) {
      throw new Error(`a link path must start with a single "/": ${JSON.stringify(path)}`);
    }
    const base = new URL(baseUrl());
    // Keep a base path (https://example.com/inkwell) in front of the app's own.
    const url = new URL(`${base.pathname.replace(/\/+$/, "")}${path}`, base.origin);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    return url.toString();
  }
  return { to, accountSettings: () => to("/account") };
}
