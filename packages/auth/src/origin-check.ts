/**
 * CSRF defence for cookie-authenticated requests that change state: browsers
 * say where a request comes from in `Sec-Fetch-Site` and `Origin`.
 */
export type OriginVerdict =
  /** Same origin, or an origin on the allowlist. */
  | "trusted"
  /** A browser says the request comes from another site. */
  | "cross-site"
  /** Neither header: not a browser (curl, a server, an SDK). */
  | "unknown";

export function judgeOrigin(headers: Headers, ownOrigin: string, trustedOrigins: readonly string[]): OriginVerdict {
  const origin = headers.get("origin");
  if (origin && (origin === ownOrigin || trustedOrigins.includes(origin))) return "trusted";
  const fetchSite = headers.get("sec-fetch-site");
  if (fetchSite === "same-origin") return "trusted";
  if (!origin && !fetchSite) return "unknown";
  return "cross-site";
}
