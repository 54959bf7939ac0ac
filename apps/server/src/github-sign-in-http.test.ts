import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GithubAccount, type GithubStandIn, startGithubStandIn } from "./testing/github-stand-in.ts";
import { FlowBrowser } from "./testing/identity-browser.ts";
import { startTestServer, type TestServer } from "./testing/index.ts";

/**
 * Sign-in with GitHub (OAuth 2.0, no ID token) over real HTTP, through the
 * same flow as OpenID Connect, against a local stand-in for GitHub's
 * endpoints (testing/github-stand-in.ts).
 */
const PROVIDER_REFUSED = "The identity provider's answer could not be accepted. Start again from the sign-in page.";

let github: GithubStandIn;
let server: TestServer;
let nextId = 1000;

beforeAll(async () => {
  github = await startGithubStandIn();
  server = await startTestServer({ OAUTH_PROVIDERS: JSON.stringify([github.config()]) });
});
afterAll(async () => {
  await server?.close();
  await github?.close();
});

async function account(verified: boolean) {
  const name = `g${randomUUID().slice(0, 8)}`;
  const email = `${name}@example.com`;
  const browser = new FlowBrowser(server.url);
  await browser.mutate("auth.signUp", { email, username: name, password: "a github user password", session: "token" });
  const [user] = await server.database.sql<{ id: number }[]>`
    update users set email_verified_at = case when ${verified}::boolean then now() end where email = ${email} returning id`;
  return { email, id: user?.id as number };
}

const githubAccount = (email: string, verified = true): GithubAccount => ({
  id: ++nextId,
  login: `octo${nextId}`,
  emails: [
    { email: "secondary@example.org", primary: false, verified: true },
    { email, primary: true, verified },
  ],
});

async function throughGithub(browser: FlowBrowser, as: GithubAccount) {
  github.signInAs(as);
  const started = await browser.mutate("auth.identities.beginSignIn", { provider: "github" });
  expect(started.status, started.error?.message).toBe(200);
  const url = new URL(started.data?.authorizationUrl as string);
  expect(url.searchParams.get("nonce")).toBeNull();
  expect(url.searchParams.get("code_challenge_method")).toBe("S256");
  return browser.visitProvider(url.href);
}

const complete = (browser: FlowBrowser, callback: URL) =>
  browser.mutate("auth.identities.complete", { provider: "github", callback: callback.search });

describe("GitHub sign-in over HTTP", () => {
  it("lists GitHub with its default name", async () => {
    const response = await fetch(`${server.url}/trpc/auth.identities.providers`);
    expect((await response.json()).result.data.json).toEqual([{ id: "github", name: "GitHub", type: "github" }]);
  });

  it("signs in by the primary email when GitHub verified it and so did Inkwell, keyed by GitHub's user id", async () => {
    const { email, id } = await account(true);
    const as = githubAccount(email);
    const browser = new FlowBrowser(server.url);
    const done = await complete(browser, await throughGithub(browser, as));
    expect(done.status, done.error?.message).toBe(200);
    expect(done.data).toMatchObject({ outcome: "signedIn", user: { email } });
    const identities = await server.database.sql`
      select subject, display_name, email from user_identities where user_id = ${id}`;
    expect(identities).toEqual([{ subject: String(as.id), display_name: as.login, email }]);
  });

  it("does not link by an unverified primary email, nor by a verified secondary one", async () => {
    const { email, id } = await account(true);
    const browser = new FlowBrowser(server.url);
    const done = await complete(browser, await throughGithub(browser, githubAccount(email, false)));
    expect(done.status).toBe(401);
    expect(done.error?.message).toContain("No Inkwell account is linked to this GitHub account.");
    // Inkwell's email verified at GitHub, but not as the primary address: GitHub's primary is someone else's.
    const secondary = { ...githubAccount("primary@example.org"), emails: [] as GithubAccount["emails"] };
    secondary.emails = [
      { email: "primary@example.org", primary: true, verified: true },
      { email, primary: false, verified: true },
    ];
    const other = new FlowBrowser(server.url);
    expect((await complete(other, await throughGithub(other, secondary))).status).toBe(401);
    expect(await server.database.sql`select 1 from user_identities where user_id = ${id}`).toHaveLength(0);
  });

  it("refuses a wrong state, a replayed code and a code redeemed without this flow's PKCE verifier", async () => {
    const { email } = await account(true);
    const as = githubAccount(email);

    const first = new FlowBrowser(server.url);
    const callback = await throughGithub(first, as);
    const tampered = new URL(callback);
    tampered.searchParams.set("state", "not-the-state");
    expect((await complete(first, tampered)).error?.message).toBe(PROVIDER_REFUSED);

    const second = new FlowBrowser(server.url);
    const good = await throughGithub(second, as);
    expect((await complete(second, good)).status).toBe(200);
    const third = new FlowBrowser(server.url);
    const started = await third.mutate("auth.identities.beginSignIn", { provider: "github" });
    const state = new URL(started.data?.authorizationUrl as string).searchParams.get("state") as string;
    const replayed = new URL(good);
    replayed.searchParams.set("state", state);
    expect((await complete(third, replayed)).error?.message).toBe(PROVIDER_REFUSED);

    const fourth = new FlowBrowser(server.url);
    const fresh = await throughGithub(fourth, as);
    await server.database.sql`update oauth_flows set code_verifier = ${"x".repeat(43)} where provider = 'github'`;
    expect((await complete(fourth, fresh)).error?.message).toBe(PROVIDER_REFUSED);
  });

  it("reports a denied authorization as refused", async () => {
    const browser = new FlowBrowser(server.url);
    await browser.mutate("auth.identities.beginSignIn", { provider: "github" });
    const state = browser.cookie(server.url, "inkwell_identity_flow") as string;
    const denied = new URL(`${server.url}/sign-in/callback/github`);
    denied.searchParams.set("error", "access_denied");
    denied.searchParams.set("state", state);
    const done = await complete(browser, denied);
    expect(done.status).toBe(401);
    expect(done.error?.message).toBe(PROVIDER_REFUSED);
  });
});
