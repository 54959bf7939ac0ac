import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FlowBrowser } from "./testing/identity-browser.ts";
import { startTestServer, type TestServer } from "./testing/index.ts";
import { startTestOpenIdProvider, type TestIdentity, type TestOpenIdProvider } from "./testing/openid-provider.ts";
import { enrolOverHttp, totpCode } from "./testing/two-factor.ts";

/**
 * Sign-in with an OpenID Connect provider over real HTTP, against a real
 * provider (oidc-provider) in this process: the whole redirect flow, and the
 * answers an attacker could forge or replay.
 */
const PASSWORD = "the right password 1";
const FLOW_INVALID =
  "This sign-in has expired, was already used or was started in another browser. Start again from the sign-in page.";
const PROVIDER_REFUSED = "The identity provider's answer could not be accepted. Start again from the sign-in page.";

let idp: TestOpenIdProvider;
let forger: TestOpenIdProvider;
let server: TestServer;

beforeAll(async () => {
  idp = await startTestOpenIdProvider();
  forger = await startTestOpenIdProvider({ publishForeignKeys: true });
  server = await startTestServer({
    OAUTH_PROVIDERS: JSON.stringify([idp.config("corp", "Corp SSO"), forger.config("forged", "Forged SSO")]),
  });
  idp.start([`${server.url}/sign-in/callback/corp`]);
  forger.start([`${server.url}/sign-in/callback/forged`]);
});
afterAll(async () => {
  await server?.close();
  await idp?.close();
  await forger?.close();
});

/** An Inkwell account; `verified` sets its email_verified_at as email verification would. */
async function account(verified: boolean) {
  const name = `u${randomUUID().slice(0, 8)}`;
  const email = `${name}@example.com`;
  const browser = new FlowBrowser(server.url);
  const signUp = await browser.mutate("auth.signUp", { email, username: name, password: PASSWORD, session: "token" });
  expect(signUp.status).toBe(200);
  const [user] = await server.database.sql<{ id: number }[]>`
    update users set email_verified_at = case when ${verified}::boolean then now() end where email = ${email} returning id`;
  return { email, id: user?.id as number, token: signUp.data?.token as string };
}

const identity = (overrides: Partial<TestIdentity> = {}): TestIdentity => ({
  sub: `sub-${randomUUID()}`,
  email_verified: true,
  preferred_username: "ada",
  ...overrides,
});

/** Starts a sign-in at `provider` and comes back from it: the callback URL, with the browser's flow cookie. */
async function throughProvider(browser: FlowBrowser, as: TestIdentity, provider = "corp", begin = "beginSignIn") {
  (provider === "forged" ? forger : idp).signInAs(as);
  const started = await browser.mutate(`auth.identities.${begin}`, { provider, returnTo: "/users" });
  expect(started.status, started.error?.message).toBe(200);
  return browser.visitProvider(started.data?.authorizationUrl as string);
}

const complete = (browser: FlowBrowser, callback: URL, provider = "corp") =>
  browser.mutate("auth.identities.complete", { provider, callback: callback.search });

const identitiesOf = (userId: number) =>
  server.database.sql<{ provider: string; subject: string; email_verified: boolean }[]>`
    select provider, subject, email_verified from user_identities where user_id = ${userId}`;

describe("OpenID Connect sign-in over HTTP", () => {
  it("lists the configured providers without their secrets", async () => {
    const response = await fetch(`${server.url}/trpc/auth.identities.providers`);
    const text = await response.text();
    expect(JSON.parse(text).result.data.json).toEqual([
      { id: "corp", name: "Corp SSO", type: "oidc" },
      { id: "forged", name: "Forged SSO", type: "oidc" },
    ]);
    expect(text).not.toContain("secret");
  });

  it("sends the browser to the provider with PKCE (S256), state and nonce, and the state in an HttpOnly cookie", async () => {
    const browser = new FlowBrowser(server.url);
    const started = await browser.mutate("auth.identities.beginSignIn", { provider: "corp" });
    const url = new URL(started.data?.authorizationUrl as string);
    expect(url.origin).toBe(idp.issuer);
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get("nonce")).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get("redirect_uri")).toBe(`${server.url}/sign-in/callback/corp`);
    expect(browser.cookie(server.url, "inkwell_identity_flow")).toBe(url.searchParams.get("state"));
    const [flow] = await server.database.sql<{ n: number }[]>`select count(*)::int as n from oauth_flows`;
    expect(flow?.n).toBeGreaterThan(0);
  });

  it("signs in a verified email's account when the provider verified it too, links it, and records the method", async () => {
    const { email, id } = await account(true);
    const browser = new FlowBrowser(server.url);
    const as = identity({ email: email.toUpperCase() });
    const callback = await throughProvider(browser, as);
    expect(callback.pathname).toBe("/sign-in/callback/corp");
    const done = await complete(browser, callback);
    expect(done.status, done.error?.message).toBe(200);
    expect(done.data).toMatchObject({ outcome: "signedIn", returnTo: "/users", user: { email } });
    expect(browser.cookie(server.url, "inkwell_identity_flow")).toBeUndefined();
    const me = await browser.fetch(`${server.url}/trpc/auth.me`);
    expect(me.status).toBe(200);
    expect(await identitiesOf(id)).toEqual([{ provider: "corp", subject: as.sub, email_verified: true }]);
    const sessions = await server.database.sql`select method from sessions where user_id = ${id} order by created_at`;
    expect(sessions.map((s) => s.method)).toEqual(["password", "identity"]);

    // Linked now: the next sign-in goes by the subject, whatever the email says.
    const again = new FlowBrowser(server.url);
    const second = await complete(
      again,
      await throughProvider(again, { ...as, email: "else@example.org", email_verified: false }),
    );
    expect(second.data).toMatchObject({ outcome: "signedIn", user: { email } });
  });

  it("does not link an account by an email the provider has not verified", async () => {
    const { email, id } = await account(true);
    const browser = new FlowBrowser(server.url);
    const done = await complete(browser, await throughProvider(browser, identity({ email, email_verified: false })));
    expect(done.status).toBe(401);
    expect(done.error?.message).toBe(
      "No Inkwell account is linked to this Corp SSO account. Sign in with your password or a passkey, then link Corp SSO from your account page.",
    );
    expect(browser.cookie(server.url, "inkwell_session")).toBeUndefined();
    expect(await identitiesOf(id)).toEqual([]);
  });

  it("does not link by email when the Inkwell account has not verified its email", async () => {
    const { email, id } = await account(false);
    const browser = new FlowBrowser(server.url);
    const done = await complete(browser, await throughProvider(browser, identity({ email })));
    expect(done.status).toBe(401);
    expect(await identitiesOf(id)).toEqual([]);
  });

  it("does not link by email to an address the account has asked for but not yet confirmed", async () => {
    const { email, id, token } = await account(true);
    const update = (newEmail: string) =>
      fetch(`${server.url}/trpc/auth.updateProfile`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ json: { email: newEmail } }),
      });
    const row = async () => (await server.database.sql`select email, email_verified_at from users where id = ${id}`)[0];
    expect((await update(email.toUpperCase())).status).toBe(200);
    expect((await row())?.email_verified_at).not.toBeNull();
    // A new address waits for its link (auth.verifyEmail): until then the account keeps its verified old one,
    // and a provider account at the new address links to nothing.
    const moved = `moved-${email}`;
    expect((await update(moved)).status).toBe(200);
    expect(await row()).toMatchObject({ email: email.toUpperCase(), email_verified_at: expect.any(String) });
    const browser = new FlowBrowser(server.url);
    expect((await complete(browser, await throughProvider(browser, identity({ email: moved })))).status).toBe(401);
  });

  it("refuses a callback whose state is not this browser's, and the flow is then spent", async () => {
    const { email } = await account(true);
    const browser = new FlowBrowser(server.url);
    const callback = await throughProvider(browser, identity({ email }));
    const tampered = new URL(callback);
    tampered.searchParams.set("state", "an-attackers-state");
    const refused = await complete(browser, tampered);
    expect(refused.status).toBe(401);
    expect(refused.error?.message).toBe(PROVIDER_REFUSED);
    // The flow was taken by the failed try: the genuine callback no longer works either.
    expect((await complete(browser, callback)).error?.message).toBe(FLOW_INVALID);
  });

  it("refuses a callback in a browser that did not start the flow (no login CSRF)", async () => {
    const { email } = await account(true);
    const attacker = new FlowBrowser(server.url);
    const callback = await throughProvider(attacker, identity({ email }));
    const victim = new FlowBrowser(server.url);
    const refused = await complete(victim, callback);
    expect(refused.status).toBe(401);
    expect(refused.error?.message).toBe(FLOW_INVALID);
    expect(victim.cookie(server.url, "inkwell_session")).toBeUndefined();
  });

  it("refuses a replayed code: once spent, neither the same flow nor a new one takes it", async () => {
    const { email } = await account(true);
    const browser = new FlowBrowser(server.url);
    const as = identity({ email });
    const callback = await throughProvider(browser, as);
    expect((await complete(browser, callback)).status).toBe(200);
    // The same flow again (the browser kept its cookie, as a thief replaying the request would).
    const replay = new FlowBrowser(server.url);
    await replay.mutate("auth.identities.beginSignIn", { provider: "corp" });
    const replayed = await complete(replay, callback);
    expect(replayed.status).toBe(401);
    expect(replayed.error?.message).toBe(PROVIDER_REFUSED);
    // A new flow in which the old code is slipped under the new state: the provider refuses the used code.
    const fresh = new FlowBrowser(server.url);
    const started = await fresh.mutate("auth.identities.beginSignIn", { provider: "corp" });
    const state = new URL(started.data?.authorizationUrl as string).searchParams.get("state") as string;
    const slipped = new URL(callback);
    slipped.searchParams.set("state", state);
    const refused = await complete(fresh, slipped);
    expect(refused.status).toBe(401);
    expect(refused.error?.message).toBe(PROVIDER_REFUSED);
  });

  it("refuses an ID token whose nonce is not the one this flow sent", async () => {
    const { email, id } = await account(true);
    const browser = new FlowBrowser(server.url);
    const callback = await throughProvider(browser, identity({ email }));
    await server.database.sql`update oauth_flows set nonce = 'a-nonce-from-another-flow' where provider = 'corp'`;
    const refused = await complete(browser, callback);
    expect(refused.status).toBe(401);
    expect(refused.error?.message).toBe(PROVIDER_REFUSED);
    expect(await identitiesOf(id)).toEqual([]);
  });

  it("refuses an ID token signed by a key the provider's JWKS does not publish", async () => {
    const { email, id } = await account(true);
    const browser = new FlowBrowser(server.url);
    const callback = await throughProvider(browser, identity({ email }), "forged");
    const refused = await complete(browser, callback, "forged");
    expect(refused.status).toBe(401);
    expect(refused.error?.message).toBe(PROVIDER_REFUSED);
    expect(await identitiesOf(id)).toEqual([]);
  });

  it("answers one of two concurrent completions of one callback, never both", async () => {
    const { email } = await account(true);
    const browser = new FlowBrowser(server.url);
    const callback = await throughProvider(browser, identity({ email }));
    const results = await Promise.all([complete(browser, callback), complete(browser, callback)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it("asks for the code after the provider when the account has two-factor sign-in on", async () => {
    const { email, id, token } = await account(true);
    const { key } = await enrolOverHttp(server.url, token);
    const browser = new FlowBrowser(server.url);
    const done = await complete(browser, await throughProvider(browser, identity({ email })));
    expect(done.data).toMatchObject({ outcome: "twoFactorRequired" });
    expect(browser.cookie(server.url, "inkwell_session")).toBeUndefined();
    const second = await browser.mutate("auth.signIn2fa", { challenge: done.data?.challenge, code: totpCode(key, 1) });
    expect(second.status, second.error?.message).toBe(200);
    const [session] = await server.database.sql`
      select method from sessions where user_id = ${id} order by created_at desc limit 1`;
    expect(session?.method).toBe("identity");
  });

  it("refuses a suspended account, an unknown provider and a start from another site", async () => {
    const { email } = await account(true);
    await server.database.sql`update users set status = 'suspended' where email = ${email}`;
    const browser = new FlowBrowser(server.url);
    const suspended = await complete(browser, await throughProvider(browser, identity({ email })));
    expect(suspended.status).toBe(403);
    expect((await browser.mutate("auth.identities.beginSignIn", { provider: "nope" })).status).toBe(404);
    expect((await browser.mutate("auth.identities.beginSignIn", { provider: "Corp SSO" })).status).toBe(400);
    const crossSite = await fetch(`${server.url}/trpc/auth.identities.beginSignIn`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      body: JSON.stringify({ json: { provider: "corp" } }),
    });
    expect(crossSite.status).toBe(403);
    const offSite = await browser.mutate("auth.identities.beginSignIn", {
      provider: "corp",
      returnTo: "//evil.example",
    });
    expect(offSite.status).toBe(400);
  });
});

describe("linking from the account page", () => {
  async function signedIn(email: string) {
    const browser = new FlowBrowser(server.url);
    expect((await browser.mutate("auth.signIn", { email, password: PASSWORD })).status).toBe(200);
    return browser;
  }

  it("links an identity whose email is unverified to the signed-in user, lists it and unlinks it", async () => {
    const { email, id } = await account(false);
    const browser = await signedIn(email);
    const as = identity({ email: "other@example.org", email_verified: false });
    const linked = await complete(browser, await throughProvider(browser, as, "corp", "beginLink"));
    expect(linked.data).toEqual({ outcome: "linked", returnTo: "/account" });
    expect(await identitiesOf(id)).toEqual([{ provider: "corp", subject: as.sub, email_verified: false }]);

    // It now signs in, in another browser.
    const other = new FlowBrowser(server.url);
    expect((await complete(other, await throughProvider(other, as))).data).toMatchObject({ outcome: "signedIn" });

    const list = await browser.fetch(`${server.url}/trpc/auth.identities.list`);
    const [listed] = (await list.json()).result.data.json;
    expect(listed).toMatchObject({ provider: "corp", providerName: "Corp SSO", email: "other@example.org" });
    const stranger = await account(false);
    const strangerBrowser = await signedIn(stranger.email);
    expect((await strangerBrowser.mutate("auth.identities.unlink", { id: listed.id })).status).toBe(404);
    expect((await browser.mutate("auth.identities.unlink", { id: listed.id })).data).toEqual({ unlinked: listed.id });
    expect(await identitiesOf(id)).toEqual([]);
  });

  it("refuses to link an identity another user holds, and a link finished in another session", async () => {
    const holder = await account(true);
    const as = identity({ email: holder.email });
    const first = new FlowBrowser(server.url);
    expect((await complete(first, await throughProvider(first, as))).status).toBe(200);

    const { email } = await account(false);
    const browser = await signedIn(email);
    const taken = await complete(browser, await throughProvider(browser, as, "corp", "beginLink"));
    expect(taken.status).toBe(409);
    expect(taken.error?.message).toBe("This Corp SSO account is already linked to another Inkwell account.");

    const callback = await throughProvider(browser, identity(), "corp", "beginLink");
    const session = browser.cookie(server.url, "inkwell_session") as string;
    await browser.mutate("auth.signOut", {});
    // Signed out meanwhile: the flow went with the session.
    const afterSignOut = await complete(browser, callback);
    expect(afterSignOut.status).toBe(401);
    expect(session).toBeTruthy();
  });

  it("cannot be started without a session", async () => {
    const browser = new FlowBrowser(server.url);
    expect((await browser.mutate("auth.identities.beginLink", { provider: "corp" })).status).toBe(401);
  });
});
