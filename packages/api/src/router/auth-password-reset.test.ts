import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TOKEN_INVALID } from "../services/account-tokens.ts";
import { BREACHED_PASSWORD } from "../services/accounts.ts";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, DEFAULT_PASSWORD, type Harness, TEST_ORIGIN } from "../testing/harness.ts";
import { outbox, queuedJobs, runQueuedJobs, tokenFromOutbox } from "../testing/outbox.ts";
import { PASSWORD_RESET_REQUESTED } from "./auth-account-emails.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.database.sql`delete from email_messages`;
  await h.database.sql`delete from graphile_worker._private_jobs`;
  await h.database.sql`delete from throttle_counters`;
});
afterAll(() => h.close());

const NEW_PASSWORD = "a brand new passphrase";

/** Asks for a reset link as an anonymous visitor would, then lets the job write the email. */
async function requestReset(email: string, ip?: string) {
  const answer = await (await h.as({ ip })).auth.requestPasswordReset({ email });
  await runQueuedJobs(h, "accounts.sendPasswordReset");
  return answer;
}

describe("auth.requestPasswordReset", () => {
  it("emails a one-hour link on PUBLIC_URL to the account's address", async () => {
    const user = await h.createUser();
    expect(await requestReset(user.email.toUpperCase())).toEqual({ message: PASSWORD_RESET_REQUESTED });
    const [email, ...others] = await outbox(h);
    expect(others).toEqual([]);
    expect(email).toMatchObject({
      recipient: user.email,
      subject: "Reset your Inkwell password",
      template: "password-reset",
    });
    expect(email?.text).toMatch(
      new RegExp(`^Choose a new password within one hour: ${TEST_ORIGIN}/reset-password\\?token=[a-z2-7]{32}$`, "m"),
    );
    const [lifetime] = await h.database.sql<{ minutes: number }[]>`
      select extract(epoch from expires_at - created_at) / 60 as minutes from account_tokens where user_id = ${user.id}`;
    expect(Number(lifetime?.minutes)).toBe(60);
  });

  it("answers exactly the same, with the same statements, whether or not an account has the address", async () => {
    const user = await h.createUser();
    const known = await h.recordQueries(async () =>
      (await h.as({ ip: "198.51.100.1" })).auth.requestPasswordReset({ email: user.email }),
    );
    const unknown = await h.recordQueries(async () =>
      (await h.as({ ip: "198.51.100.2" })).auth.requestPasswordReset({ email: "nobody-here@example.com" }),
    );
    expect(unknown.result).toEqual(known.result);
    // The same work on the request's path in both cases: no branch skips the enqueue (or anything else).
    expect(unknown.statements).toEqual(known.statements);
    expect(known.statements.some((statement) => statement.includes("graphile_worker.add_job"))).toBe(true);
    expect((await queuedJobs(h, "accounts.sendPasswordReset")).map((job) => job.payload)).toEqual([
      { email: user.email },
      { email: "nobody-here@example.com" },
    ]);
    const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : 1);
    const counters = await h.database.sql<{ key: string; hits: number }[]>`select key, hits from throttle_counters`;
    expect([...counters].sort(byKey)).toEqual(
      [
        { key: `reset:account:${user.email}`, hits: 1 },
        { key: "reset:account:nobody-here@example.com", hits: 1 },
        { key: "reset:ip:198.51.100.1", hits: 1 },
        { key: "reset:ip:198.51.100.2", hits: 1 },
      ].sort(byKey),
    );
    // Only the job, later, tells them apart: one email, to the account.
    await runQueuedJobs(h, "accounts.sendPasswordReset");
    expect((await outbox(h)).map((email) => email.recipient)).toEqual([user.email]);
  });

  it("sends nothing to a suspended account", async () => {
    const user = await h.createUser({ status: "suspended" });
    expect(await requestReset(user.email)).toEqual({ message: PASSWORD_RESET_REQUESTED });
    expect(await outbox(h)).toEqual([]);
  });

  it("counts every request of a batch of 40 before any is checked: at most the limit goes through", async () => {
    const user = await h.createUser();
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, async (_, i) =>
        // Different client addresses, one account: the per-account counter is the one that holds.
        (await h.as({ ip: `203.0.113.${i + 1}` })).auth.requestPasswordReset({ email: user.email }),
      ),
    );
    const passed = results.filter((result) => result.status === "fulfilled");
    expect(passed).toHaveLength(3);
    for (const result of results) {
      if (result.status === "rejected") expect(result.reason).toMatchObject({ code: "TOO_MANY_REQUESTS" });
    }
    expect(await queuedJobs(h, "accounts.sendPasswordReset")).toHaveLength(3);
    // An unknown address is throttled alike: the answers say nothing about which addresses exist.
    for (let i = 0; i < 3; i++) await (await h.as()).auth.requestPasswordReset({ email: "ghost@example.com" });
    const ghost = await expectTRPCError(
      (await h.as()).auth.requestPasswordReset({ email: "ghost@example.com" }),
      "TOO_MANY_REQUESTS",
    );
    const real = await expectTRPCError(
      (await h.as()).auth.requestPasswordReset({ email: user.email }),
      "TOO_MANY_REQUESTS",
    );
    expect(ghost.message.replace(/\d+/g, "N")).toBe(real.message.replace(/\d+/g, "N"));
  });

  it("refuses a malformed address with BAD_REQUEST", async () => {
    for (const email of ["", "not an address", `${"a".repeat(250)}@example.com`, "a@b\u0000.com"]) {
      await expectTRPCError((await h.as()).auth.requestPasswordReset({ email }), "BAD_REQUEST");
    }
  });
});

describe("auth.resetPassword", () => {
  it("sets the new password, ends every session, uses the link up and is audited", async () => {
    const user = await h.createUser();
    const laptop = await h.signIn(user.email);
    const phone = await h.signIn(user.email);
    await requestReset(user.email);
    const token = await tokenFromOutbox(h, user.email, "/reset-password");

    expect(await (await h.as()).auth.resetPassword({ token, password: NEW_PASSWORD })).toEqual({ passwordReset: true });
    for (const session of [laptop, phone]) {
      await expectTRPCError((await h.as({ bearer: session })).auth.me(), "UNAUTHORIZED");
    }
    await expectTRPCError(h.signIn(user.email), "UNAUTHORIZED");
    const fresh = await h.signIn(user.email, NEW_PASSWORD);
    // The link reached the address: it counts as verified.
    expect((await (await h.as({ bearer: fresh })).auth.me()).user.emailVerified).toBe(true);

    const [event] = await h.database.sql<{ actor_id: number; details: Record<string, unknown> }[]>`
      select actor_id, details from audit_events where action = 'auth.resetPassword' order by id desc limit 1`;
    expect(event?.actor_id).toBe(user.id);
    expect(event?.details).toMatchObject({ outcome: "success", endedSessions: 2 });
    expect(JSON.stringify(event?.details)).not.toContain(token);
    expect(JSON.stringify(event?.details)).not.toContain(NEW_PASSWORD);

    const reused = await expectTRPCError(
      (await h.as()).auth.resetPassword({ token, password: "yet another passphrase" }),
      "BAD_REQUEST",
    );
    expect(reused.message).toBe(TOKEN_INVALID);
    await h.signIn(user.email, NEW_PASSWORD);
  });

  it("refuses an expired link (one hour)", async () => {
    const user = await h.createUser();
    await requestReset(user.email);
    const token = await tokenFromOutbox(h, user.email, "/reset-password");
    await h.database.sql`update account_tokens set expires_at = now() - interval '1 second' where user_id = ${user.id}`;
    await expectTRPCError((await h.as()).auth.resetPassword({ token, password: NEW_PASSWORD }), "BAD_REQUEST");
    await h.signIn(user.email);
  });

  it("a newer link replaces the older one", async () => {
    const user = await h.createUser();
    await requestReset(user.email);
    const first = await tokenFromOutbox(h, user.email, "/reset-password");
    await requestReset(user.email);
    const second = await tokenFromOutbox(h, user.email, "/reset-password");
    expect(second).not.toBe(first);
    await expectTRPCError((await h.as()).auth.resetPassword({ token: first, password: NEW_PASSWORD }), "BAD_REQUEST");
    await (await h.as()).auth.resetPassword({ token: second, password: NEW_PASSWORD });
  });

  it("a link asked for before the password changed (changePassword or PUT /user) no longer works", async () => {
    const user = await h.createUser();
    const session = await h.signIn(user.email);
    await requestReset(user.email);
    const before = await tokenFromOutbox(h, user.email, "/reset-password");
    await (await h.as({ bearer: session })).auth.changePassword({
      currentPassword: DEFAULT_PASSWORD,
      newPassword: NEW_PASSWORD,
    });
    await expectTRPCError(
      (await h.as()).auth.resetPassword({ token: before, password: "attacker's choice!" }),
      "BAD_REQUEST",
    );

    await h.database.sql`delete from throttle_counters`;
    await requestReset(user.email);
    const again = await tokenFromOutbox(h, user.email, "/reset-password");
    await (await h.as({ bearer: session })).auth.updateProfile({ password: "third passphrase here" });
    await expectTRPCError(
      (await h.as()).auth.resetPassword({ token: again, password: "attacker's choice!" }),
      "BAD_REQUEST",
    );
    await h.signIn(user.email, "third passphrase here");
  });

  it("two requests with one link at once: exactly one sets its password", async () => {
    const user = await h.createUser();
    await requestReset(user.email);
    const token = await tokenFromOutbox(h, user.email, "/reset-password");
    const [a, b] = await Promise.all([h.as(), h.as()]);
    const results = await Promise.allSettled([
      a.auth.resetPassword({ token, password: "first racer's passphrase" }),
      b.auth.resetPassword({ token, password: "second racer's passphrase" }),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(["fulfilled", "rejected"]);
    const winner = results[0]?.status === "fulfilled" ? "first racer's passphrase" : "second racer's passphrase";
    const loser = winner.startsWith("first") ? "second racer's passphrase" : "first racer's passphrase";
    await h.signIn(user.email, winner);
    await expectTRPCError(h.signIn(user.email, loser), "UNAUTHORIZED");
  });

  it("applies the password rules (a breached password for an operator); the link stays usable", async () => {
    const admin = await h.createUser({ role: "admin" });
    await requestReset(admin.email);
    const token = await tokenFromOutbox(h, admin.email, "/reset-password");
    const breached = await expectTRPCError(
      (await h.as()).auth.resetPassword({ token, password: "password123" }),
      "BAD_REQUEST",
    );
    expect(breached.message).toBe(BREACHED_PASSWORD);
    await expectTRPCError((await h.as()).auth.resetPassword({ token, password: "short" }), "BAD_REQUEST");
    await (await h.as()).auth.resetPassword({ token, password: NEW_PASSWORD });
  });
});

describe("users.forcePasswordReset", () => {
  it("ends the user's sessions and password, emails them a link, and is audited with the reason", async () => {
    const { user: admin, token: adminToken } = await h.signedIn("admin");
    const operator = await h.as({ bearer: adminToken });
    const user = await h.createUser();
    const session = await h.signIn(user.email);
    const reason = "Password seen in a breach dump, ticket 4711";

    expect(await operator.users.forcePasswordReset({ userId: user.id, reason })).toEqual({
      userId: user.id,
      username: user.username,
      email: user.email,
      endedSessions: 1,
    });
    await expectTRPCError((await h.as({ bearer: session })).auth.me(), "UNAUTHORIZED");
    await expectTRPCError(h.signIn(user.email), "UNAUTHORIZED");
    const [email] = await outbox(h, user.email);
    expect(email).toMatchObject({ subject: "Set a new password for Inkwell", template: "password-reset-required" });
    expect(email?.text).toContain("your old password no longer works");

    const [event] = await h.database.sql<{ actor_id: number; target_id: string; details: Record<string, unknown> }[]>`
      select actor_id, target_id, details from audit_events where action = 'users.forcePasswordReset' order by id desc limit 1`;
    expect(event).toMatchObject({ actor_id: admin.id, target_id: String(user.id) });
    expect(event?.details).toMatchObject({ outcome: "success", reason, endedSessions: 1, username: user.username });

    const token = await tokenFromOutbox(h, user.email, "/reset-password");
    await (await h.as()).auth.resetPassword({ token, password: NEW_PASSWORD });
    await h.signIn(user.email, NEW_PASSWORD);
  });

  it("needs users:manage and a reason, refuses the operator's own account and an unknown user", async () => {
    const { user: admin, token: adminToken } = await h.signedIn("admin");
    const operator = await h.as({ bearer: adminToken });
    const { token: moderatorToken } = await h.signedIn("moderator");
    const user = await h.createUser();
    const reason = "Asked by the account owner on the phone";
    await expectTRPCError(
      (await h.as({ bearer: moderatorToken })).users.forcePasswordReset({ userId: user.id, reason }),
      "FORBIDDEN",
    );
    await expectTRPCError(operator.users.forcePasswordReset({ userId: user.id, reason: "because" }), "BAD_REQUEST");
    const self = await expectTRPCError(operator.users.forcePasswordReset({ userId: admin.id, reason }), "FORBIDDEN");
    expect(self.message).toBe("You cannot force a password reset of yourself.");
    await expectTRPCError(operator.users.forcePasswordReset({ userId: 2_000_000_000, reason }), "NOT_FOUND");
    expect(await outbox(h)).toEqual([]);
    await h.signIn(user.email);
  });

  it("users.list and users.detail show whether the address is verified", async () => {
    const { token: adminToken } = await h.signedIn("admin");
    const operator = await h.as({ bearer: adminToken });
    const user = await h.createUser();
    expect((await operator.users.detail({ userId: user.id })).user).toMatchObject({
      emailVerified: false,
      emailVerifiedAt: null,
    });
    await h.database.sql`update users set email_verified_at = now() where id = ${user.id}`;
    const detail = await operator.users.detail({ userId: user.id });
    expect(detail.user.emailVerified).toBe(true);
    expect(detail.user.emailVerifiedAt).toBeInstanceOf(Date);
    expect(detail.twoFactor).toMatchObject({ enabled: false });
    const list = await operator.users.list({ search: user.username });
    expect(list.users).toEqual([expect.objectContaining({ id: user.id, emailVerified: true })]);
  });
});
