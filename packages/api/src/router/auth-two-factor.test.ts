import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPLAYED_CODE, WRONG_CODE } from "../services/two-factor.ts";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, DEFAULT_PASSWORD, type Harness } from "../testing/harness.ts";
import { TestAuthenticator } from "../testing/totp.ts";
import { enrolTwoFactor, passwordStep } from "../testing/two-factor.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

/** What the database holds for a user's two-factor sign-in. */
async function storedTwoFactor(userId: number) {
  const [row] = await h.database.sql<
    { sealed_key: Buffer; enabled_at: string | null; last_used_step: string | null }[]
  >`
    select sealed_key, enabled_at, last_used_step from user_two_factor where user_id = ${userId}`;
  const codes = await h.database.sql<{ code_hash: Buffer; used_at: Date | null }[]>`
    select code_hash, used_at from two_factor_recovery_codes where user_id = ${userId}`;
  return { row, codes };
}

const sessionCount = async (userId: number) =>
  Number((await h.database.sql`select count(*) as n from sessions where user_id = ${userId}`)[0]?.n);

describe("auth.twoFactor enrolment", () => {
  it("hands out a secret and an otpauth URI carrying it, and changes nothing until confirmed", async () => {
    const { user, token } = await h.signedIn();
    const caller = await h.as({ bearer: token });
    const { secret, uri } = await caller.auth.twoFactor.beginEnrolment();

    expect(secret).toMatch(/^[A-Z2-7]{32}$/); // 160 bits, base32
    const parsed = new URL(uri);
    expect(parsed.protocol).toBe("otpauth:");
    expect(parsed.host).toBe("totp");
    expect(decodeURIComponent(parsed.pathname)).toBe(`/Inkwell:${user.email}`);
    expect(Object.fromEntries(parsed.searchParams)).toEqual({
      issuer: "Inkwell",
      algorithm: "SHA1",
      secret,
      period: "30",
      digits: "6",
    });
    expect(await caller.auth.twoFactor.status()).toMatchObject({ enabled: false, required: false, available: true });
    expect((await caller.auth.me()).user).toMatchObject({ twoFactorEnabled: false, twoFactorEnrolmentRequired: false });
    // Still one step: the password alone signs in.
    expect(
      (await (await h.as()).auth.signIn({ email: user.email, password: DEFAULT_PASSWORD })).twoFactorRequired,
    ).toBe(false);
  });

  it("stores the secret sealed (AES-256-GCM): neither its bytes nor its text are in the row, and each seal differs", async () => {
    const { user, token } = await h.signedIn();
    const caller = await h.as({ bearer: token });
    const first = await caller.auth.twoFactor.beginEnrolment();
    const { row } = await storedTwoFactor(user.id);
    if (!row) throw new Error("no row");
    const sealed = Buffer.from(row.sealed_key);
    const plain = Buffer.from(decodeBase32IgnorePadding(first.secret));
    expect(sealed.includes(plain)).toBe(false);
    expect(sealed.toString("latin1")).not.toContain(first.secret);
    expect(sealed.toString("latin1").toLowerCase()).not.toContain(first.secret.toLowerCase());
    // version + 12-byte nonce + 20-byte key + 16-byte tag
    expect(sealed.byteLength).toBe(1 + 12 + 20 + 16);
    expect(sealed[0]).toBe(1);

    // Starting again replaces the pending secret, with a fresh nonce.
    const second = await caller.auth.twoFactor.beginEnrolment();
    expect(second.secret).not.toBe(first.secret);
    const again = await storedTwoFactor(user.id);
    expect(
      Buffer.from(again.row?.sealed_key ?? [])
        .subarray(1, 13)
        .equals(sealed.subarray(1, 13)),
    ).toBe(false);
    // Only the newest secret's codes count.
    await expectTRPCError(
      caller.auth.twoFactor.confirmEnrolment({ code: new TestAuthenticator(first.secret).code() }),
      "BAD_REQUEST",
    );
  });

  it("turns on with a first code: ten recovery codes shown once, stored hashed, other sessions ended", async () => {
    const { user, token } = await h.signedIn();
    const elsewhere = await h.signIn(user.email);
    const caller = await h.as({ bearer: token });
    const { secret } = await caller.auth.twoFactor.beginEnrolment();
    const app = new TestAuthenticator(secret);

    const wrong = await expectTRPCError(
      caller.auth.twoFactor.confirmEnrolment({ code: app.wrongCode() }),
      "BAD_REQUEST",
    );
    expect(wrong.message).toBe(WRONG_CODE);
    expect((await storedTwoFactor(user.id)).row?.enabled_at).toBeNull();

    const confirmed = await caller.auth.twoFactor.confirmEnrolment({ code: app.code() });
    expect(confirmed.endedSessions).toBe(1);
    expect(confirmed.recoveryCodes).toHaveLength(10);
    expect(new Set(confirmed.recoveryCodes).size).toBe(10);
    for (const code of confirmed.recoveryCodes)
      expect(code).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);

    // This session stays, the other one ended.
    await expectTRPCError((await h.as({ bearer: elsewhere })).auth.me(), "UNAUTHORIZED");
    // (A caller resolves its credential once, as a request does: a fresh one sees the change.)
    const now = await h.as({ bearer: token });
    expect((await now.auth.me()).user).toMatchObject({ twoFactorEnabled: true, twoFactorEnrolmentRequired: false });
    expect(await sessionCount(user.id)).toBe(1);
    expect(await now.auth.twoFactor.status()).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });

    // Stored as 32-byte hashes; no code appears in them.
    const { row, codes } = await storedTwoFactor(user.id);
    expect(row?.enabled_at).not.toBeNull();
    expect(codes).toHaveLength(10);
    for (const stored of codes) {
      expect(stored.code_hash.byteLength).toBe(32);
      for (const code of confirmed.recoveryCodes) {
        expect(stored.code_hash.toString("latin1")).not.toContain(code.replaceAll("-", ""));
      }
    }
    // The enrolment code's step is remembered: it cannot sign in later.
    expect(Number(row?.last_used_step)).toBe(Math.floor(Date.now() / 30_000));

    // Turning it on twice is refused; so is starting again while it is on.
    await expectTRPCError(caller.auth.twoFactor.confirmEnrolment({ code: app.code(1) }), "CONFLICT");
    await expectTRPCError(caller.auth.twoFactor.beginEnrolment(), "CONFLICT");
  });

  it("refuses to confirm before enrolment began, and takes no API key", async () => {
    const { user, token } = await h.signedIn();
    await expectTRPCError(
      (await h.as({ bearer: token })).auth.twoFactor.confirmEnrolment({ code: "123456" }),
      "PRECONDITION_FAILED",
    );
    const { key } = await (await h.as({ bearer: token })).apiKeys.create({ name: "script", scopes: ["keys:manage"] });
    const withKey = await h.as({ bearer: key });
    await expectTRPCError(withKey.auth.twoFactor.beginEnrolment(), "FORBIDDEN");
    await expectTRPCError(withKey.auth.twoFactor.disable({ password: DEFAULT_PASSWORD }), "FORBIDDEN");
    expect((await storedTwoFactor(user.id)).row).toBeUndefined();
  });

  it("validates codes: digits only, at most 16 characters, exactly one proof to turn it off", async () => {
    const { token } = await h.signedIn();
    const caller = await h.as({ bearer: token });
    await caller.auth.twoFactor.beginEnrolment();
    await expectTRPCError(caller.auth.twoFactor.confirmEnrolment({ code: "12345a" }), "BAD_REQUEST");
    await expectTRPCError(caller.auth.twoFactor.confirmEnrolment({ code: "1".repeat(17) }), "BAD_REQUEST");
    await expectTRPCError(caller.auth.twoFactor.confirmEnrolment({ code: "" }), "BAD_REQUEST");
    await expectTRPCError(caller.auth.twoFactor.disable({}), "BAD_REQUEST");
    await expectTRPCError(caller.auth.twoFactor.disable({ code: "123456", password: "x" }), "BAD_REQUEST");
  });

  it("records enrolment in the audit log without the code", async () => {
    const { user, token } = await h.signedIn();
    const { app } = await enrolTwoFactor(h, token);
    const rows = await h.database.sql<{ action: string; details: { input?: { code?: string } } }[]>`
      select action, details from audit_events where actor_id = ${user.id} and action like 'auth.twoFactor.%' order by id`;
    expect(rows.map((row) => row.action)).toEqual(["auth.twoFactor.beginEnrolment", "auth.twoFactor.confirmEnrolment"]);
    expect(rows[1]?.details.input?.code).toBe("[redacted]");
    expect(JSON.stringify(rows)).not.toContain(app.code());
  });
});

describe("auth.twoFactor.disable", () => {
  it("turns it off with a current code, which cannot then be used again", async () => {
    const { user, token } = await h.signedIn();
    const { app } = await enrolTwoFactor(h, token);
    const caller = await h.as({ bearer: token });
    // The enrolment code is spent.
    const replayed = await expectTRPCError(caller.auth.twoFactor.disable({ code: app.code() }), "BAD_REQUEST");
    expect(replayed.message).toBe(REPLAYED_CODE);
    await expectTRPCError(caller.auth.twoFactor.disable({ code: app.wrongCode() }), "BAD_REQUEST");

    expect(await caller.auth.twoFactor.disable({ code: app.code(1) })).toEqual({ disabled: true });
    const { row, codes } = await storedTwoFactor(user.id);
    expect(row).toBeUndefined();
    expect(codes).toEqual([]);
    expect(
      (await (await h.as()).auth.signIn({ email: user.email, password: DEFAULT_PASSWORD })).twoFactorRequired,
    ).toBe(false);
  });

  it("turns it off with the password, refusing a wrong one on its field", async () => {
    const { user, token } = await h.signedIn();
    await enrolTwoFactor(h, token);
    const caller = await h.as({ bearer: token });
    const wrong = await expectTRPCError(caller.auth.twoFactor.disable({ password: "not my password" }), "BAD_REQUEST");
    expect(wrong.message).toBe("The password is incorrect.");
    expect((await storedTwoFactor(user.id)).row?.enabled_at).not.toBeNull();

    await caller.auth.twoFactor.disable({ password: DEFAULT_PASSWORD });
    expect((await storedTwoFactor(user.id)).row).toBeUndefined();
    await expectTRPCError(caller.auth.twoFactor.disable({ password: DEFAULT_PASSWORD }), "PRECONDITION_FAILED");
  });

  it("drops pending sign-in challenges with it", async () => {
    const { user, token } = await h.signedIn();
    const { app } = await enrolTwoFactor(h, token);
    const challenge = await passwordStep(h, user.email);
    await (await h.as({ bearer: token })).auth.twoFactor.disable({ password: DEFAULT_PASSWORD });
    await expectTRPCError((await h.as()).auth.signIn2fa({ challenge, code: app.code(1) }), "UNAUTHORIZED");
  });
});

describe("auth.twoFactor.regenerateRecoveryCodes", () => {
  it("replaces the recovery codes for a current code: the old ones stop working, the new ones are shown once", async () => {
    const { user, token } = await h.signedIn();
    const { app, recoveryCodes: old } = await enrolTwoFactor(h, token);
    const caller = await h.as({ bearer: token });
    await expectTRPCError(caller.auth.twoFactor.regenerateRecoveryCodes({ code: app.wrongCode() }), "BAD_REQUEST");

    const { recoveryCodes } = await caller.auth.twoFactor.regenerateRecoveryCodes({ code: app.code(1) });
    expect(recoveryCodes).toHaveLength(10);
    expect(recoveryCodes.filter((code) => old.includes(code))).toEqual([]);
    expect((await storedTwoFactor(user.id)).codes).toHaveLength(10);
    // The same code twice is refused, like everywhere.
    const replayed = await expectTRPCError(
      caller.auth.twoFactor.regenerateRecoveryCodes({ code: app.code(1) }),
      "BAD_REQUEST",
    );
    expect(replayed.message).toBe(REPLAYED_CODE);

    const oldOne = await expectTRPCError(
      (await h.as()).auth.signIn2fa({ challenge: await passwordStep(h, user.email), recoveryCode: old[0] ?? "" }),
      "BAD_REQUEST",
    );
    expect(oldOne.message).toMatch(/recovery code is not one of yours/);
    const signedIn = await (await h.as()).auth.signIn2fa({
      challenge: await passwordStep(h, user.email),
      recoveryCode: recoveryCodes[0] ?? "",
    });
    expect(signedIn.user.id).toBe(user.id);
  });

  it("is refused while two-factor sign-in is off", async () => {
    const { token } = await h.signedIn();
    await expectTRPCError(
      (await h.as({ bearer: token })).auth.twoFactor.regenerateRecoveryCodes({ code: "123456" }),
      "PRECONDITION_FAILED",
    );
  });
});

describe("without an encryption key", () => {
  let keyless: Harness;
  beforeAll(async () => {
    keyless = await createHarness({}, { encryptionKey: null });
  });
  afterAll(() => keyless.close());

  it("refuses enrolment with a message naming ENCRYPTION_KEY, and says it is unavailable", async () => {
    const { token } = await keyless.signedIn();
    const caller = await keyless.as({ bearer: token });
    expect(await caller.auth.twoFactor.status()).toMatchObject({ enabled: false, available: false });
    const error = await expectTRPCError(caller.auth.twoFactor.beginEnrolment(), "NOT_IMPLEMENTED");
    expect(error.message).toContain("ENCRYPTION_KEY");
    const [row] = await keyless.database.sql`select count(*)::int as n from user_two_factor`;
    expect(row?.n).toBe(0);
  });
});
