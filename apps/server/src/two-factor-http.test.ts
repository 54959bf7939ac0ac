import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./testing/index.ts";
import { enrolOverHttp, totpCode, wrongTotpCode } from "./testing/two-factor.ts";

/** Two-factor sign-in over real HTTP: the two steps, cookies, and guesses packed into one tRPC batch. */
const PASSWORD = "the right password 1";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ TRUST_PROXY: "true" });
});
afterAll(() => server?.close());

let addresses = 0;
const newAddress = () => ({ "x-forwarded-for": `198.51.100.${++addresses}` });

type Answer = {
  result?: { data?: { json?: Record<string, unknown> } };
  error?: { json: { message: string; data: { httpStatus: number; code: string } } };
};

async function post(path: string, input: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ json: input }),
  });
  return { response, answer: (await response.json()) as Answer };
}

/** A new account with two-factor sign-in on; returns its email and the app's key. */
async function guardedAccount() {
  const email = `guarded-${randomUUID().slice(0, 8)}@example.com`;
  const { answer } = await post(
    "auth.signUp",
    { email, username: email.split("@")[0], password: PASSWORD, session: "token" },
    newAddress(),
  );
  const token = answer.result?.data?.json?.token as string;
  return { email, token, ...(await enrolOverHttp(server.url, token)) };
}

async function challengeFor(email: string, address = newAddress()) {
  const { response, answer } = await post("auth.signIn", { email, password: PASSWORD, session: "cookie" }, address);
  expect(response.status).toBe(200);
  expect(response.headers.get("set-cookie")).toBeNull();
  const json = answer.result?.data?.json;
  expect(json).toMatchObject({ twoFactorRequired: true });
  return json?.challenge as string;
}

async function sessionsOf(email: string): Promise<number> {
  const [row] = await server.database.sql<{ n: number }[]>`
    select count(*)::int as n from sessions join users on users.id = sessions.user_id where users.email = ${email}`;
  return row?.n ?? 0;
}

describe("two-factor sign-in over HTTP", () => {
  it("sets the session cookie only after the code, and the cookie then works", async () => {
    const { email, key } = await guardedAccount();
    const challenge = await challengeFor(email);
    const { response, answer } = await post("auth.signIn2fa", { challenge, code: totpCode(key, 1) }, newAddress());
    expect(response.status).toBe(200);
    expect(answer.result?.data?.json).toMatchObject({ twoFactorRequired: false, user: { email } });
    const cookie = response.headers.get("set-cookie")?.split(";")[0] ?? "";
    expect(cookie).toMatch(/^inkwell_session=/);
    const me = await fetch(`${server.url}/trpc/auth.me`, { headers: { cookie } });
    expect(me.status).toBe(200);
  });

  it("answers a wrong code 400 with the message on the field, and an expired challenge 401", async () => {
    const { email, key } = await guardedAccount();
    const challenge = await challengeFor(email);
    const { response, answer } = await post("auth.signIn2fa", { challenge, code: wrongTotpCode(key) }, newAddress());
    expect(response.status).toBe(400);
    expect(answer.error?.json.message).toBe(
      "The code is incorrect. Enter the current code from your authenticator app.",
    );
    await server.database.sql`update two_factor_challenges set expires_at = now() - interval '1 second'`;
    const expired = await post("auth.signIn2fa", { challenge, code: totpCode(key, 1) }, newAddress());
    expect(expired.response.status).toBe(401);
  });

  it("checks at most 5 codes of one tRPC batch of 40 guesses at one challenge; no session unless answered 200", async () => {
    const { email, key } = await guardedAccount();
    const challenge = await challengeFor(email);
    const before = await sessionsOf(email);
    // 39 wrong guesses, the right code last, as a brute-forcer who knows the password would send them.
    const calls = Array.from({ length: 40 }, (_, i) => ({
      challenge,
      code: i === 39 ? totpCode(key, 1) : String(100_000 + i),
      session: "token",
    }));
    const body = Object.fromEntries(calls.map((input, i) => [String(i), { json: input }]));
    const response = await fetch(`${server.url}/trpc/${calls.map(() => "auth.signIn2fa").join(",")}?batch=1`, {
      method: "POST",
      headers: { "content-type": "application/json", ...newAddress() },
      body: JSON.stringify(body),
    });
    const answers = (await response.json()) as Answer[];
    expect(answers).toHaveLength(40);
    const statuses = answers.map((answer) => answer.error?.json.data.httpStatus ?? 200);
    // Checked: answered 200 (right) or 400 (wrong). Refused unchecked: 429 (throttled) or 401 (challenge used up).
    const checked = statuses.filter((status) => status === 200 || status === 400);
    expect(checked.length).toBeLessThanOrEqual(5);
    expect(statuses.filter((status) => ![200, 400, 401, 429].includes(status))).toEqual([]);
    expect(statuses.filter((status) => status === 401 || status === 429)).toHaveLength(40 - checked.length);
    expect(await sessionsOf(email)).toBe(before + statuses.filter((status) => status === 200).length);
    const [counter] = await server.database.sql<{ hits: number }[]>`
      select hits from throttle_counters where key like '2fa:account:%'
      and key = (select '2fa:account:' || id from users where email = ${email})`;
    expect(counter?.hits ?? 0).toBeLessThanOrEqual(5);
  });

  it("refuses the same code brought twice in one batch: one session", async () => {
    const { email, key } = await guardedAccount();
    const [first, second] = [await challengeFor(email), await challengeFor(email)];
    const code = totpCode(key, 1);
    const before = await sessionsOf(email);
    const body = {
      "0": { json: { challenge: first, code, session: "token" } },
      "1": { json: { challenge: second, code, session: "token" } },
    };
    const response = await fetch(`${server.url}/trpc/auth.signIn2fa,auth.signIn2fa?batch=1`, {
      method: "POST",
      headers: { "content-type": "application/json", ...newAddress() },
      body: JSON.stringify(body),
    });
    const answers = (await response.json()) as Answer[];
    const statuses = answers.map((answer) => answer.error?.json.data.httpStatus ?? 200).sort();
    expect(statuses).toEqual([200, 400]);
    expect(answers.find((answer) => answer.error)?.error?.json.message).toBe(
      "This code was used already. Wait for the next one in your authenticator app.",
    );
    expect(await sessionsOf(email)).toBe(before + 1);
  });
});
