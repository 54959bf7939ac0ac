/**
 * A browser as the identity-provider flow needs one, over plain fetch: a
 * cookie jar per origin (names and values; enough for these servers) and
 * redirects followed by hand, so a test sees where each one leads.
 */
export class FlowBrowser {
  private readonly jars = new Map<string, Map<string, string>>();

  constructor(private readonly inkwellUrl: string) {}

  cookieHeader(url: string): string {
    const jar = this.jars.get(new URL(url).origin);
    return jar ? [...jar].map(([name, value]) => `${name}=${value}`).join("; ") : "";
  }

  cookie(url: string, name: string): string | undefined {
    return this.jars.get(new URL(url).origin)?.get(name);
  }

  forget(url: string, name: string): void {
    this.jars.get(new URL(url).origin)?.delete(name);
  }

  private keep(url: string, response: Response): void {
    const origin = new URL(url).origin;
    const jar = this.jars.get(origin) ?? new Map<string, string>();
    this.jars.set(origin, jar);
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === "") jar.delete(name);
      else jar.set(name, value);
    }
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookies = this.cookieHeader(url);
    if (cookies) headers.set("cookie", cookies);
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    this.keep(url, response);
    return response;
  }

  /** A tRPC mutation from the admin console's own origin; the answer's data or error. */
  async mutate(path: string, input: unknown) {
    const response = await this.fetch(`${this.inkwellUrl}/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: this.inkwellUrl },
      body: JSON.stringify({ json: input }),
    });
    const answer = (await response.json()) as {
      result?: { data?: { json?: Record<string, unknown> } };
      error?: { json: { message: string; data: { code: string; httpStatus: number } } };
    };
    return { status: response.status, data: answer.result?.data?.json, error: answer.error?.json };
  }

  /**
   * Follows the redirects from the provider's authorization address until
   * one leads back to Inkwell: the callback URL the admin console's page would open.
   */
  async visitProvider(authorizationUrl: string): Promise<URL> {
    let url = authorizationUrl;
    for (let hop = 0; hop < 10; hop++) {
      if (url.startsWith(this.inkwellUrl)) return new URL(url);
      const response = await this.fetch(url);
      const location = response.headers.get("location");
      if (!location) throw new Error(`${url} answered ${response.status} without a redirect: ${await response.text()}`);
      url = new URL(location, url).href;
    }
    throw new Error(`too many redirects from ${authorizationUrl}`);
  }
}
