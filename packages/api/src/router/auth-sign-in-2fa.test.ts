import { generateEncryptionKey, hashSecret, parseSessionToken } from "@inkwell/auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultAuthSettings } from "../auth/settings.ts";
import { REPLAYED_CODE, WRONG_CODE, WRONG_RECOVERY_CODE } from "../services/two-factor.ts";
import { CHALLENGE_INVALID, CHALLENGE_USED_UP } from "../services/two-factor-challenges.ts";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, DEFAULT_PASSWORD, type Harness } from "../testing/harness.ts";
import { enrolTwoFactor, passwordStep, signInWithCode } from "../testing/two-factor.ts";

// Throttling of codes has a file of its own; here it must not get in the way of counting a challenge's tries.
const roomy = { freeFailures: 1_000, baseDelayMs: 1_000, maxDelayMs: 1_000, windowMs: 60_000 };
const encryptionKey = generateEncryptionKey();
let h: Harness;
beforeAll(async () => {
  h = await createHarness({ signInThrottle: { perAccount: roomy, perIp: roomy } }, { encryptionKey });
});
afterAll(() => h.close());

/** A user with two-factor sign-in on, enrolled through the procedures. */
async function enrolledUser() {
  const { user, token } = await h.signedIn();
  const enrolled = await enrolTwoFactor(h, token);
  return { user, token, ...enrolled };
}

const sessionsOf = async (userId: number) =>
  (await h.database.sql<{ id: string }[]>`select id from sessions where user_id = ${userId}`).map((row) => row.id);

const challengeRow = async (token: string) => {
  const id = parseSessionToken(token)?.id ?? "";
  const [row] = await h.database.sql<{ id: string; secret_hash: Buffer; user_id: number; attempts: number }[]>`
    select id, secret_hash, user_id, attempts from two_factor_challenges where id = ${id}`;
  return row;
};

describe("signing in with two-factor sign-in on", () => {
  it("takes two steps: the password gives a challenge (no session, no cookie), a code gives the session", async () => {
    const { user, app } = await enrolledUser();
    const before = await sessionsOf(user.id);

    const { call: first, resHeaders: firstHeaders } = await h.request();
    const step = await first.auth.signIn({ email: user.email, password: DEFAULT_PASSWORD });
    if (!step.twoFactorRequired) throw new Error("expected a second step");
    expect(Object.keys(step).sort()).toEqual(["challenge", "expiresAt", "token", "twoFactorRequired"]);
    expect(step.token).toBeUndefined();
    expect(step.expiresAt.getTime() - Date.now()).toBeGreaterThan(4.5 * 60_000);
    expect(step.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    expect(firstHeaders.get("set-cookie")).toBeNull();
    expect(await sessionsOf(user.id)).toEqual(before);
    // The challenge is no session: as a bearer token it authenticates nothing.
    await expectTRPCError((await h.as({ bearer: step.challenge })).auth.me(), "UNAUTHORIZED");

    // Stored as the id and the secret's SHA-256, bound to the user.
    const stored = await challengeRow(step.challenge);
    const secret = parseSessionToken(step.challenge)?.secret ?? "";
    expect(stored).toMatchObject({ user_id: user.id, attempts: 0 });
    expect(Buffer.from(stored?.secret_hash ?? []).equals(Buffer.from(hashSecret(secret)))).toBe(true);
    expect(Buffer.from(stored?.secret_hash ?? []).toString("latin1")).not.toContain(secret);

    const { call: second, resHeaders } = await h.request();
    const signedIn = await second.auth.signIn2fa({ challenge: step.challenge, code: app.code(1) });
    expect(signedIn).toMatchObject({ twoFactorRequired: false, token: undefined, user: { id: user.id } });
    expect(resHeaders.get("set-cookie")).toMatch(/^inkwell_session=[a-z2-7]{24}\.[a-z2-7]{32};.*HttpOnly/);
    const cookie = resHeaders.get("set-cookie")?.split(";")[0]?.split("=")[1] ?? "";
    expect((await (await h.as({ cookie })).auth.me()).user.id).toBe(user.id);
    // The challenge is used up.
    expect(await challengeRow(step.challenge)).toBeUndefined();
  });

  it("leaves accounts without two-factor sign-in as they were: one step", async () => {
    const { user } = await h.signedIn();
    const result = await (await h.as()).auth.signIn({
      email: user.email,
      password: DEFAULT_PASSWORD,
      session: "token",
    });
    expect(result).toMatchObject({ twoFactorRequired: false, user: { id: user.id, twoFactorEnabled: false } });
    expect(result.token).toMatch(/^[a-z2-7]{24}\.[a-z2-7]{32}$/);
  });

  it("asks nothing more of a wrong password: the same refusal as for any account", async () => {
    const { user } = await enrolledUser();
    const error = await expectTRPCError(
      (await h.as()).auth.signIn({ email: user.email, password: "not the password" }),
      "UNAUTHORIZED",
    );
    expect(error.message).toBe("Email or password is incorrect.");
  });

  it("refuses a code used before within its window, and any older one", async () => {
    const { user, app } = await enrolledUser();
    // The code that confirmed enrolment is spent.
    const spent = await expectTRPCError(
      (await h.as()).auth.signIn2fa({ challenge: await passwordStep(h, user.email), code: app.code() }),
      "BAD_REQUEST",
    );
    expect(spent.message).toBe(REPLAYED_CODE);
    expect(spent.cause).toMatchObject({ fields: { code: [REPLAYED_CODE] } });

    const next = app.code(1);
    await signInWithCode(h, user.email, next);
    const replayed = await expectTRPCError(
      (await h.as()).auth.signIn2fa({ challenge: await passwordStep(h, user.email), code: next }),
      "BAD_REQUEST",
    );
    expect(replayed.message).toBe(REPLAYED_CODE);
    expect(await sessionsOf(user.id)).toHaveLength(2); // the enrolling session and one sign-in
  });

  it("lets only one of two requests bringing the same code at once through", async () => {
    const { user, app } = await enrolledUser();
    const code = app.code(1);
    const [a, b] = await Promise.all([passwordStep(h, user.email), passwordStep(h, user.email)]);
    const results = await Promise.allSettled([
      (await h.as()).auth.signIn2fa({ challenge: a, code, session: "token" }),
      (await h.as()).auth.signIn2fa({ challenge: b, code, session: "token" }),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((result) => result.status === "rejected");
    expect((refused as PromiseRejectedResult).reason.message).toBe(REPLAYED_CODE);
  });

  it("takes a recovery code instead, each one once, in any case and with or without dashes", async () => {
    const { user, recoveryCodes } = await enrolledUser();
    const [first, second] = recoveryCodes as [string, string];
    const signedIn = await (await h.as()).auth.signIn2fa({
      challenge: await passwordStep(h, user.email),
      recoveryCode: first,
      session: "token",
    });
    expect(signedIn.user.id).toBe(user.id);

    const again = await expectTRPCError(
      (await h.as()).auth.signIn2fa({ challenge: await passwordStep(h, user.email), recoveryCode: first }),
      "BAD_REQUEST",
    );
    expect(again.message).toBe(WRONG_RECOVERY_CODE);
    expect(again.cause).toMatchObject({ fields: { recoveryCode: [WRONG_RECOVERY_CODE] } });

    const typed = ` ${second.replaceAll("-", "").toUpperCase()} `;
    await (await h.as()).auth.signIn2fa({ challenge: await passwordStep(h, user.email), recoveryCode: typed });
    const [left] = await h.database.sql<{ n: number }[]>`
      select count(*)::int as n from two_factor_recovery_codes where user_id = ${user.id} and used_at is null`;
    expect(left?.n).toBe(8);
    expect((await (await h.as({ bearer: signedIn.token })).auth.twoFactor.status()).recoveryCodesLeft).toBe(8);
  });

  it("gives one session per challenge, also for two right recovery codes at once", async () => {
    const { user, recoveryCodes } = await enrolledUser();
    const challenge = await passwordStep(h, user.email);
    const before = (await sessionsOf(user.id)).length;
    const results = await Promise.allSettled(
      recoveryCodes
        .slice(0, 2)
        .map(async (recoveryCode) => (await h.as()).auth.signIn2fa({ challenge, recoveryCode, session: "token" })),
    );
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    expect(await sessionsOf(user.id)).toHaveLength(before + 1);
    // The refused one's recovery code is not used up.
    const [left] = await h.database.sql<{ n: number }[]>`
      select count(*)::int as n from two_factor_recovery_codes where user_id = ${user.id} and used_at is null`;
    expect(left?.n).toBe(9);
  });

  it("ends a challenge after 5 codes, right or wrong, and counts each before checking it", async () => {
    const { user, app } = await enrolledUser();
    const challenge = await passwordStep(h, user.email);
    for (let attempt = 1; attempt <= 4; attempt++) {
      const error = await expectTRPCError(
        (await h.as()).auth.signIn2fa({ challenge, code: app.wrongCode() }),
        "BAD_REQUEST",
      );
      expect(error.message).toBe(WRONG_CODE);
      expect((await challengeRow(challenge))?.attempts).toBe(attempt);
    }
    await expectTRPCError((await h.as()).auth.signIn2fa({ challenge, code: app.wrongCode() }), "BAD_REQUEST");
    expect(await challengeRow(challenge)).toBeUndefined();
    const over = await expectTRPCError((await h.as()).auth.signIn2fa({ challenge, code: app.code(1) }), "UNAUTHORIZED");
    expect(over.message).toBe(CHALLENGE_INVALID);

    // The password again gives a fresh challenge, and the right code works.
    await signInWithCode(h, user.email, app.code(1));
  });

  it("ends a challenge after 5 codes also when they arrive at once", async () => {
    const { user, app } = await enrolledUser();
    const challenge = await passwordStep(h, user.email);
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, async () => (await h.as()).auth.signIn2fa({ challenge, code: app.wrongCode() })),
    );
    const messages = results.map((result) => (result as PromiseRejectedResult).reason?.message);
    expect(messages.filter((message) => message === WRONG_CODE)).toHaveLength(5);
    expect(messages.filter((message) => message === CHALLENGE_USED_UP || message === CHALLENGE_INVALID)).toHaveLength(
      7,
    );
    expect(await challengeRow(challenge)).toBeUndefined();
  });

  it("expires a challenge after 5 minutes", async () => {
    const { user, app } = await enrolledUser();
    const challenge = await passwordStep(h, user.email);
    // Five minutes later, without sleeping: the row is moved back in time.
    const id = parseSessionToken(challenge)?.id ?? "";
    await h.database
      .sql`update two_factor_challenges set expires_at = now() - interval '1 millisecond' where id = ${id}`;
    const error = await expectTRPCError(
      (await h.as()).auth.signIn2fa({ challenge, code: app.code(1) }),
      "UNAUTHORIZED",
    );
    expect(error.message).toBe(CHALLENGE_INVALID);
    expect(await challengeRow(challenge)).toBeUndefined();
    // The code was not spent on it.
    await signInWithCode(h, user.email, app.code(1));
  });

  it("refuses crafted and foreign challenges alike", async () => {
    const { user, app } = await enrolledUser();
    const other = await enrolledUser();
    const challenge = await passwordStep(h, user.email);
    const [id, secret] = challenge.split(".") as [string, string];
    const flipped = `${id}.${secret.slice(0, -1)}${secret.endsWith("a") ? "b" : "a"}`;
    for (const crafted of [flipped, `${id}.`, "x".repeat(100), `${"a".repeat(24)}.${"a".repeat(32)}`]) {
      const error = await expectTRPCError(
        (await h.as()).auth.signIn2fa({ challenge: crafted, code: app.code(1) }),
        "UNAUTHORIZED",
      );
      expect(error.message).toBe(CHALLENGE_INVALID);
    }
    await expectTRPCError((await h.as()).auth.signIn2fa({ challenge: "", code: "123456" }), "BAD_REQUEST");
    await expectTRPCError((await h.as()).auth.signIn2fa({ challenge, code: "1".repeat(17) }), "BAD_REQUEST");
    await expectTRPCError((await h.as()).auth.signIn2fa({ challenge }), "BAD_REQUEST");
    // Another user's code does not open this user's challenge.
    await expectTRPCError((await h.as()).auth.signIn2fa({ challenge, code: other.app.code(1) }), "BAD_REQUEST");
    // Tries that failed validation or the challenge check counted nothing against it.
    expect((await challengeRow(challenge))?.attempts).toBe(1);
  });

  it("refuses a suspended account at the second step", async () => {
    const { user, app } = await enrolledUser();
    const challenge = await passwordStep(h, user.email);
    await h.database.sql`update users set status = 'suspended' where id = ${user.id}`;
    const error = await expectTRPCError((await h.as()).auth.signIn2fa({ challenge, code: app.code(1) }), "FORBIDDEN");
    expect(error.message).toMatch(/suspended/);
  });

  it("records both steps in the audit log, without the challenge or the code", async () => {
    const { user, app } = await enrolledUser();
    const challenge = await passwordStep(h, user.email);
    const code = app.code(1);
    await (await h.as()).auth.signIn2fa({ challenge, code });
    const rows = await h.database.sql<{ action: string; actor_username: string; details: Record<string, unknown> }[]>`
      select action, actor_username, details from audit_events
      where actor_id = ${user.id} and action in ('auth.signIn', 'auth.signIn2fa') order by id`;
    expect(rows.map((row) => [row.action, row.details.outcome, row.details.twoFactorRequired ?? null])).toEqual([
      ["auth.signIn", "success", null], // signed in for enrolment, before two-factor sign-in was on
      ["auth.signIn", "success", true],
      ["auth.signIn2fa", "success", null],
    ]);
    expect(rows.every((row) => row.actor_username === user.username)).toBe(true);
    expect(rows[2]?.details).toMatchObject({
      secondFactor: "totp",
      input: { challenge: "[redacted]", code: "[redacted]" },
    });
    const text = JSON.stringify(rows);
    expect(text).not.toContain(challenge.split(".")[1]);
    expect(text).not.toContain(code);
  });
});

describe("a server whose ENCRYPTION_KEY changed", () => {
  let rekeyed: Harness;
  beforeAll(async () => {
    rekeyed = await createHarness(defaultAuthSettings, { encryptionKey: generateEncryptionKey() });
  });
  afterAll(() => rekeyed.close());

  it("cannot check codes (and says so), while recovery codes still work", async () => {
    // Enrolled under one key...
    const { user, token } = await rekeyed.signedIn();
    const { app, recoveryCodes } = await enrolTwoFactor(rekeyed, token);
    // ...read under another: the sealed secret does not open.
    rekeyed.deps.encryptionKey = generateEncryptionKey();
    const error = await expectTRPCError(
      (await rekeyed.as()).auth.signIn2fa({ challenge: await passwordStep(rekeyed, user.email), code: app.code(1) }),
      "SERVICE_UNAVAILABLE",
    );
    expect(error.message).toMatch(/ENCRYPTION_KEY is not the one/);
    const signedIn = await (await rekeyed.as()).auth.signIn2fa({
      challenge: await passwordStep(rekeyed, user.email),
      recoveryCode: recoveryCodes[0] ?? "",
      session: "token",
    });
    expect(signedIn.user.id).toBe(user.id);
  });
});
