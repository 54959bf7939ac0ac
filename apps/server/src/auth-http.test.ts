import { connect } from "node:net";
import { SESSION_COOKIE } from "@inkwell/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./testing/index.ts";

const PASSWORD = "admin password 1";
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    INKWELL_ADMIN_EMAIL: "admin@example.com",
    INKWELL_ADMIN_PASSWORD: PASSWORD,
    TRUSTED_ORIGINS: "https://console.example.com",
    TRUST_PROXY: "true",
  });
});
afterAll(() => server?.close());

/** Calls a tRPC mutation over HTTP the way @trpc/client does (superjson envelope). */
function mutate(path: string, input: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ json: input }),
  });
}

function query(path: string, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/trpc/${path}`, { headers });
}

async function browserSignIn(): Promise<string> {
  const response = await mutate(
    "auth.signIn",
    { email: "admin@example.com", password: PASSWORD },
    { "sec-fetch-site": "same-origin" },
  );
  expect(response.status).toBe(200);
  const cookie = response.headers.get("set-cookie") ?? "";
  return cookie.split(";")[0] ?? "";
}

describe("session cookie over HTTP", () => {
  it("is HttpOnly, SameSite=Lax, Path=/, with an expiry, and not Secure over plain HTTP", async () => {
    const response = await mutate(
      "auth.signIn",
      { email: "admin@example.com", password: PASSWORD },
      { "sec-fetch-site": "same-origin" },
    );
    const cookie = response.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[a-z2-7]{24}\\.[a-z2-7]{32}; `));
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; Expires=/);
    expect(cookie).not.toMatch(/Secure/);
    const body = await response.text();
    expect(body).not.toContain(cookie.split(";")[0]?.split("=")[1]);
  });

  it("is Secure when the request came over HTTPS through a trusted proxy", async () => {
    const response = await mutate(
      "auth.signIn",
      { email: "admin@example.com", password: PASSWORD },
      { "x-forwarded-proto": "https", "sec-fetch-site": "same-origin" },
    );
    expect(response.headers.get("set-cookie")).toMatch(/; Secure/);
  });

  it("authenticates queries", async () => {
    const cookie = await browserSignIn();
    const response = await query("auth.me", { cookie });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('"email":"admin@example.com"');
  });
});

describe("CSRF defence for cookie-authenticated changes", () => {
  const changeBio = (headers: Record<string, string>) => mutate("auth.updateProfile", { bio: "changed" }, headers);

  it("refuses a cross-site request with 403", async () => {
    const cookie = await browserSignIn();
    const response = await changeBio({ cookie, "sec-fetch-site": "cross-site", origin: "https://evil.example" });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("Cross-site request refused");
  });

  it("changes nothing on a refused cross-site change, and records the refusal in the audit log", async () => {
    const cookie = await browserSignIn();
    const bio = async () =>
      (await server.database.sql<{ bio: string }[]>`select bio from users where email = 'admin@example.com'`)[0]?.bio;
    const refusals = async () =>
      (
        await server.database.sql<{ n: number }[]>`
          select count(*)::int as n from audit_events
          where action = 'auth.updateProfile' and details->>'outcome' = 'failure'
            and details->'error'->>'code' = 'FORBIDDEN'`
      )[0]?.n ?? 0;
    const [bioBefore, refusalsBefore] = [await bio(), await refusals()];
    const evil = { cookie, "sec-fetch-site": "cross-site", origin: "https://evil.example" };
    const response = await mutate("auth.updateProfile", { bio: "written from evil.example" }, evil);
    expect(response.status).toBe(403);
    expect(await bio()).toBe(bioBefore);
    expect(await refusals()).toBe(refusalsBefore + 1);
  });

  it("refuses every change of a cross-site tRPC batch, and many sent at once: the session and the profile stay", async () => {
    const cookie = await browserSignIn();
    const evil = { cookie, "sec-fetch-site": "cross-site", origin: "https://evil.example" };
    const calls = ["auth.updateProfile", "auth.signOut", "auth.updateProfile"];
    const inputs = [{ bio: "batch 1" }, null, { bio: "batch 2" }];
    const batch = await fetch(`${server.url}/trpc/${calls.join(",")}?batch=1`, {
      method: "POST",
      headers: { "content-type": "application/json", ...evil },
      body: JSON.stringify(Object.fromEntries(inputs.map((input, i) => [i, { json: input }]))),
    });
    const answers = (await batch.json()) as { error?: { json: { data: { httpStatus: number } } } }[];
    expect(answers.map((answer) => answer.error?.json.data.httpStatus)).toEqual([403, 403, 403]);
    const concurrent = await Promise.all(
      Array.from({ length: 10 }, (_, i) => mutate("auth.updateProfile", { bio: `at once ${i}` }, evil)),
    );
    expect(concurrent.map((answer) => answer.status)).toEqual(Array(10).fill(403));
    const [admin] = await server.database.sql<{ bio: string }[]>`
      select bio from users where email = 'admin@example.com'`;
    expect(admin?.bio ?? "").not.toMatch(/batch|at once/);
    // The cookie still signs in: the batched sign-out was refused too.
    expect((await query("auth.me", { cookie })).status).toBe(200);
  });

  it("refuses a change whose crafted Host would name the foreign Origin as the server's own, never with a 5xx", async () => {
    const cookie = await browserSignIn();
    const { host: own, port } = new URL(server.url);
    const bio = async () =>
      (await server.database.sql<{ bio: string }[]>`select bio from users where email = 'admin@example.com'`)[0]?.bio;
    const before = await bio();
    // The server's origin comes from the URL the adapter builds from Host: credentials, a path, a fragment, an empty
    // or NUL-carrying Host must not make `evil.example` (or a parse of it) the origin the request is compared with.
    const hosts = [
      `${own}@evil.example`,
      `evil.example@${own}`,
      `evil.example:${port}@${own}`,
      "evil.example/x",
      "evil.example#",
      `evil.example\\${own}`,
      "",
      "evil.example\0",
    ];
    const change = (host: string, origin: string) => {
      const body = JSON.stringify({ json: { bio: `via Host ${host}` } });
      return rawRequest(Number(port), [
        "POST /trpc/auth.updateProfile HTTP/1.1",
        `Host: ${host}`,
        "Content-Type: application/json",
        `Content-Length: ${Buffer.byteLength(body)}`,
        `Cookie: ${cookie}`,
        `Origin: ${origin}`,
        "Connection: close",
        "",
        body,
      ]);
    };
    for (const host of hosts) {
      // 400 where the adapter refuses the Host, 403 where the origin check refuses the change.
      expect(await change(host, "http://evil.example"), JSON.stringify(host)).toMatch(/^HTTP\/1\.1 40[03] /);
    }
    expect(await bio()).toBe(before);
    // The same request with the server's own Host and Origin goes through: the refusals above are the Host's doing.
    expect(await change(own, server.url)).toMatch(/^HTTP\/1\.1 200 /);
    expect(await bio()).toBe(`via Host ${own}`);
  });

  it("refuses a cookie-authenticated change that carries neither Sec-Fetch-Site nor Origin", async () => {
    const cookie = await browserSignIn();
    expect((await changeBio({ cookie })).status).toBe(403);
  });

  it("accepts same-origin requests and allowlisted origins", async () => {
    const cookie = await browserSignIn();
    expect((await changeBio({ cookie, "sec-fetch-site": "same-origin" })).status).toBe(200);
    expect(
      (await changeBio({ cookie, "sec-fetch-site": "cross-site", origin: "https://console.example.com" })).status,
    ).toBe(200);
    expect((await changeBio({ cookie, origin: server.url })).status).toBe(200);
  });

  it("lets bearer-token clients through without browser headers", async () => {
    const signIn = await mutate("auth.signIn", { email: "admin@example.com", password: PASSWORD, session: "token" });
    const { result } = (await signIn.json()) as { result: { data: { json: { token: string } } } };
    const response = await changeBio({ authorization: `Bearer ${result.data.json.token}` });
    expect(response.status).toBe(200);
  });

  it("refuses a cross-site sign-in (login CSRF)", async () => {
    const response = await mutate(
      "auth.signIn",
      { email: "admin@example.com", password: PASSWORD },
      { "sec-fetch-site": "cross-site", origin: "https://evil.example" },
    );
    expect(response.status).toBe(403);
  });

  it("never falls back to the cookie when an Authorization header is present, even empty or malformed", async () => {
    const cookie = await browserSignIn();
    for (const authorization of ["", "Bearer", "Bearer ", "Basic abc", "Bearer a b"]) {
      // A change: the header is the credential, it holds none, so the caller is anonymous (401).
      const change = await changeBio({ cookie, authorization, "sec-fetch-site": "same-origin" });
      expect(change.status, `Authorization: "${authorization}"`).toBe(401);
      expect(await change.text()).toContain("Authorization header must be");
      // Cross-site, the anonymous rules apply: refused before anything else.
      const crossSite = await changeBio({ cookie, authorization, "sec-fetch-site": "cross-site" });
      expect(crossSite.status).toBe(403);
      // A public read stays public; a read that needs a caller is refused.
      expect((await query("articles.list", { cookie, authorization })).status).toBe(200);
      expect((await query("auth.me", { cookie, authorization })).status).toBe(401);
    }
    const signIn = await mutate(
      "auth.signIn",
      { email: "admin@example.com", password: PASSWORD },
      { authorization: "", "sec-fetch-site": "cross-site", origin: "https://evil.example" },
    );
    expect(signIn.status).toBe(403);
  });

  it("keeps queries free: a cross-site query is answered, and changes nothing", async () => {
    const cookie = await browserSignIn();
    const response = await query("auth.me", { cookie, "sec-fetch-site": "cross-site", origin: "https://evil.example" });
    expect(response.status).toBe(200);
  });
});

describe("errors over HTTP", () => {
  it("carry field errors for forms", async () => {
    const response = await mutate(
      "auth.signUp",
      { email: "bad", username: "ok", password: "short" },
      { "sec-fetch-site": "same-origin" },
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { json: { data: { fieldErrors: Record<string, string[]> } } } };
    expect(body.error.json.data.fieldErrors).toEqual({
      email: ["Enter a valid email address."],
      password: ["Use at least 8 characters."],
    });
  });

  it("answer throttled sign-ins with 429, Retry-After and retryAfterSeconds", async () => {
    const attempt = () =>
      mutate(
        "auth.signIn",
        { email: "victim@example.com", password: "wrong password" },
        { "x-forwarded-for": "198.51.100.99" },
      );
    for (let i = 0; i < 5; i++) expect((await attempt()).status).toBe(401);
    const throttled = await attempt();
    expect(throttled.status).toBe(429);
    const retryAfter = Number(throttled.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    const body = (await throttled.json()) as {
      error: { json: { message: string; data: { retryAfterSeconds: number } } };
    };
    expect(body.error.json.data.retryAfterSeconds).toBe(retryAfter);
    expect(body.error.json.message).toMatch(/Try again in \d+ seconds/);
  });
});

/** Sends `lines` as they are (no client rewrites Host) and resolves with the answer's status line. */
function rawRequest(port: number, lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    // Written, not ended: the request says `Connection: close`, so the server closes once it has answered.
    const socket = connect(port, "127.0.0.1", () => socket.write(lines.join("\r\n")));
    let answer = "";
    socket.on("data", (chunk) => {
      answer += chunk;
    });
    socket.on("close", () => resolve(answer.split("\r\n")[0] ?? ""));
    socket.on("error", reject);
  });
}
