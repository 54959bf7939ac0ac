import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, DEFAULT_PASSWORD, type Harness } from "../testing/harness.ts";
import { enrolTwoFactor } from "../testing/two-factor.ts";

let h: Harness;
let admin: Awaited<ReturnType<Harness["as"]>>;
let adminId: number;
beforeAll(async () => {
  h = await createHarness();
  const signedIn = await h.signedIn("admin");
  adminId = signedIn.user.id;
  admin = await h.as({ bearer: signedIn.token });
});
afterAll(() => h.close());

const sessionIdOf = (token: string) => token.split(".")[0] ?? "";

async function lastEvent(action: string) {
  const [event] = await h.database.sql<
    { actor_id: number; target_type: string; target_id: string; details: Record<string, unknown> }[]
  >`select actor_id, target_type, target_id, details from audit_events where action = ${action} order by id desc limit 1`;
  return event;
}

describe("users.revokeSession", () => {
  it("ends one session of a user and leaves their others, audited", async () => {
    const { user, token: laptop } = await h.signedIn();
    const phone = await h.signIn(user.email);
    expect(await admin.users.revokeSession({ userId: user.id, sessionId: sessionIdOf(laptop) })).toEqual({
      revoked: sessionIdOf(laptop),
    });
    await expectTRPCError((await h.as({ bearer: laptop })).auth.me(), "UNAUTHORIZED");
    expect((await (await h.as({ bearer: phone })).auth.me()).user.id).toBe(user.id);
    expect((await admin.users.detail({ userId: user.id })).sessions.map((session) => session.id)).toEqual([
      sessionIdOf(phone),
    ]);
    expect(await lastEvent("users.revokeSession")).toMatchObject({
      actor_id: adminId,
      target_type: "user",
      target_id: String(user.id),
      details: { outcome: "success", sessionId: sessionIdOf(laptop) },
    });
  });

  it("refuses another user's session under this user's id, and a session already ended", async () => {
    const { user } = await h.signedIn();
    const { token: otherToken } = await h.signedIn();
    const error = await expectTRPCError(
      admin.users.revokeSession({ userId: user.id, sessionId: sessionIdOf(otherToken) }),
      "NOT_FOUND",
    );
    expect(error.message).toBe("This user has no such session: it may have ended already.");
    expect((await (await h.as({ bearer: otherToken })).auth.me()).user.id).not.toBe(user.id);
    await expectTRPCError(admin.users.revokeSession({ userId: user.id, sessionId: "x".repeat(64) }), "NOT_FOUND");
    await expectTRPCError(admin.users.revokeSession({ userId: user.id, sessionId: "x".repeat(65) }), "BAD_REQUEST");
    await expectTRPCError(admin.users.revokeSession({ userId: user.id, sessionId: "" }), "BAD_REQUEST");
  });

  it("needs sessions:manage: a moderator is refused", async () => {
    const { user, token } = await h.signedIn();
    const moderator = await h.as({ bearer: (await h.signedIn("moderator")).token });
    await expectTRPCError(
      moderator.users.revokeSession({ userId: user.id, sessionId: sessionIdOf(token) }),
      "FORBIDDEN",
    );
    expect((await (await h.as({ bearer: token })).auth.me()).user.id).toBe(user.id);
  });
});

describe("users.revokeApiKey", () => {
  it("stops one leaked key of a user; their other keys and sessions keep working", async () => {
    const { user, token } = await h.signedIn();
    const own = await h.as({ bearer: token });
    const leaked = await own.apiKeys.create({ name: "leaked", scopes: ["articles:write"] });
    const kept = await own.apiKeys.create({ name: "kept", scopes: ["articles:write"] });

    const revoked = await admin.users.revokeApiKey({ userId: user.id, keyId: leaked.id });
    expect(revoked).toMatchObject({ id: leaked.id, name: "leaked", prefix: leaked.prefix });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(Object.keys(revoked)).not.toContain("secretHash");

    await expectTRPCError((await h.as({ bearer: leaked.key })).auth.me(), "UNAUTHORIZED");
    expect((await (await h.as({ bearer: kept.key })).auth.me()).user.id).toBe(user.id);
    expect((await (await h.as({ bearer: token })).auth.me()).user.id).toBe(user.id);
    expect(await lastEvent("users.revokeApiKey")).toMatchObject({
      actor_id: adminId,
      target_type: "user",
      target_id: String(user.id),
      details: { outcome: "success", keyId: leaked.id, prefix: leaked.prefix },
    });
    // Once is enough.
    await expectTRPCError(admin.users.revokeApiKey({ userId: user.id, keyId: leaked.id }), "NOT_FOUND");
  });

  it("refuses another user's key under this user's id", async () => {
    const { user } = await h.signedIn();
    const { token } = await h.signedIn();
    const theirs = await (await h.as({ bearer: token })).apiKeys.create({ name: "theirs", scopes: [] });
    const error = await expectTRPCError(admin.users.revokeApiKey({ userId: user.id, keyId: theirs.id }), "NOT_FOUND");
    expect(error.message).toBe("This user has no such active key: it may have been revoked already.");
    expect((await (await h.as({ bearer: theirs.key })).auth.me()).credential.kind).toBe("apiKey");
  });

  it("needs users:manage: an API key with every scope but that one is refused", async () => {
    const { user, token } = await h.signedIn();
    const target = await (await h.as({ bearer: token })).apiKeys.create({ name: "target", scopes: [] });
    const { key } = await admin.apiKeys.create({ name: "partial", scopes: ["users:read", "sessions:manage"] });
    await expectTRPCError(
      (await h.as({ bearer: key })).users.revokeApiKey({ userId: user.id, keyId: target.id }),
      "FORBIDDEN",
    );
  });
});

describe("two-factor status for operators", () => {
  it("shows in users.list and users.detail, with recovery codes left and whether the role requires it", async () => {
    const { user, token } = await h.signedIn();
    const before = await admin.users.detail({ userId: user.id });
    expect(before.twoFactor).toEqual({ enabled: false, enabledAt: null, recoveryCodesLeft: 0, required: false });
    await enrolTwoFactor(h, token);
    const after = await admin.users.detail({ userId: user.id });
    expect(after.twoFactor).toMatchObject({ enabled: true, recoveryCodesLeft: 10, required: false });
    expect(after.twoFactor.enabledAt).toBeInstanceOf(Date);
    const { users } = await admin.users.list({ search: user.username });
    expect(users.map((listed) => [listed.id, listed.twoFactorEnabled])).toEqual([[user.id, true]]);
  });
});

describe("users.resetTwoFactor", () => {
  it("turns off a user's two-factor sign-in with a reason, ends their sessions and keeps the reason in the log", async () => {
    const { user, token } = await h.signedIn();
    await enrolTwoFactor(h, token);
    const reason = "Lost phone; identity checked on a video call with their manager";
    expect(await admin.users.resetTwoFactor({ userId: user.id, reason })).toEqual({
      userId: user.id,
      username: user.username,
      endedSessions: 1,
    });
    await expectTRPCError((await h.as({ bearer: token })).auth.me(), "UNAUTHORIZED");
    const [rows] = await h.database.sql<{ keys: number; codes: number }[]>`
      select (select count(*)::int from user_two_factor where user_id = ${user.id}) as keys,
             (select count(*)::int from two_factor_recovery_codes where user_id = ${user.id}) as codes`;
    expect(rows).toEqual({ keys: 0, codes: 0 });
    // The password alone signs them in again, so they can enrol anew.
    const signedIn = await (await h.as()).auth.signIn({ email: user.email, password: DEFAULT_PASSWORD });
    expect(signedIn.twoFactorRequired).toBe(false);
    expect(await lastEvent("users.resetTwoFactor")).toMatchObject({
      actor_id: adminId,
      target_type: "user",
      target_id: String(user.id),
      details: { outcome: "success", reason, username: user.username, endedSessions: 1 },
    });
  });

  it("needs a real reason, a user who has it on, and someone else", async () => {
    const { user, token } = await h.signedIn();
    const short = await expectTRPCError(
      admin.users.resetTwoFactor({ userId: user.id, reason: "  asked  " }),
      "BAD_REQUEST",
    );
    expect(short.message).toMatch(/Say how you checked who they are/);
    await expectTRPCError(admin.users.resetTwoFactor({ userId: user.id, reason: "x".repeat(501) }), "BAD_REQUEST");
    const nothing = await expectTRPCError(
      admin.users.resetTwoFactor({ userId: user.id, reason: "checked their id card in person" }),
      "PRECONDITION_FAILED",
    );
    expect(nothing.message).toBe(`${user.username} has not turned on two-factor sign-in: there is nothing to reset.`);
    // Nothing happened: their session lives.
    expect((await (await h.as({ bearer: token })).auth.me()).user.id).toBe(user.id);
    await expectTRPCError(
      admin.users.resetTwoFactor({ userId: 2_000_000_000, reason: "checked their id card in person" }),
      "NOT_FOUND",
    );
    await expectTRPCError(
      admin.users.resetTwoFactor({ userId: adminId, reason: "checked my own id card, promise" }),
      "FORBIDDEN",
    );
  });
});
