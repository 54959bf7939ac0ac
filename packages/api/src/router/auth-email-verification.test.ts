import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TOKEN_INVALID } from "../services/account-tokens.ts";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, DEFAULT_PASSWORD, type Harness, TEST_ORIGIN } from "../testing/harness.ts";
import { linkToken, outbox, queuedJobs, tokenFromOutbox } from "../testing/outbox.ts";
import { UNVERIFIED_EMAIL } from "./publishing.ts";

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

let counter = 0;
/** Signs up through the real procedure; returns the account and a caller for it. */
async function signUp(prefix = "reader") {
  counter++;
  const username = `${prefix}${counter}`;
  const email = `${username}@example.com`;
  const result = await (await h.as()).auth.signUp({ email, username, password: DEFAULT_PASSWORD, session: "token" });
  const token = result.token ?? "";
  return { id: result.user.id, email, username, token, caller: () => h.as({ bearer: token }) };
}

const me = async (token: string) => (await (await h.as({ bearer: token })).auth.me()).user;

describe("email verification after sign-up", () => {
  it("emails a link on PUBLIC_URL in the sign-up's transaction; opening it verifies the address, once", async () => {
    const account = await signUp();
    const [email, ...others] = await outbox(h);
    expect(others).toEqual([]);
    expect(email).toMatchObject({
      recipient: account.email,
      subject: "Confirm your email address for Inkwell",
      template: "email-verification",
    });
    expect(email?.text).toMatch(
      new RegExp(`^Open this link within 48 hours: ${TEST_ORIGIN}/verify-email\\?token=[a-z2-7]{32}$`, "m"),
    );
    const token = linkToken(email?.text ?? "", "/verify-email");
    expect(email?.html).toContain(`href="${TEST_ORIGIN}/verify-email?token=${token}"`);
    expect(await queuedJobs(h, "email.send")).toEqual([expect.objectContaining({ payload: { messageId: email?.id } })]);
    // Only the SHA-256 of the token is stored.
    const [stored] = await h.database.sql<{ hash: string }[]>`
      select encode(token_hash, 'hex') as hash from account_tokens where user_id = ${account.id}`;
    expect(stored?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(await h.database.sql`select * from account_tokens`)).not.toContain(token);

    expect((await me(account.token)).emailVerified).toBe(false);
    expect(await (await h.as()).auth.verifyEmail({ token })).toEqual({ email: account.email, changed: false });
    expect((await me(account.token)).emailVerified).toBe(true);
    const [event] = await h.database.sql<{ actor_id: number; target_id: string }[]>`
      select actor_id, target_id from audit_events where action = 'auth.verifyEmail' and details->>'outcome' = 'success'`;
    expect(event).toEqual({ actor_id: account.id, target_id: String(account.id) });

    // Used up: the same link again is refused, with the same words as any dead link.
    const again = await expectTRPCError((await h.as()).auth.verifyEmail({ token }), "BAD_REQUEST");
    expect(again.message).toBe(TOKEN_INVALID);
  });

  it("sends nothing when the sign-up fails (the email is part of its transaction)", async () => {
    const first = await signUp("taken");
    await h.database.sql`delete from email_messages`;
    await h.database.sql`delete from graphile_worker._private_jobs`;
    await expectTRPCError(
      (await h.as()).auth.signUp({ email: "fresh@example.com", username: first.username, password: DEFAULT_PASSWORD }),
      "CONFLICT",
    );
    expect(await outbox(h)).toEqual([]);
    expect(await queuedJobs(h, "email.send")).toEqual([]);
  });

  it("refuses an expired link (48 hours)", async () => {
    const account = await signUp();
    const token = await tokenFromOutbox(h, account.email, "/verify-email");
    const [lifetime] = await h.database.sql<{ hours: number }[]>`
      select extract(epoch from expires_at - created_at) / 3600 as hours from account_tokens where user_id = ${account.id}`;
    expect(Number(lifetime?.hours)).toBe(48);
    await h.database
      .sql`update account_tokens set expires_at = now() - interval '1 second' where user_id = ${account.id}`;
    expect((await expectTRPCError((await h.as()).auth.verifyEmail({ token }), "BAD_REQUEST")).message).toBe(
      TOKEN_INVALID,
    );
    expect((await me(account.token)).emailVerified).toBe(false);
  });

  it("a newer link replaces the older one; asking again is throttled and refused once verified", async () => {
    const account = await signUp();
    const first = await tokenFromOutbox(h, account.email, "/verify-email");
    const caller = await account.caller();
    expect(await caller.auth.resendVerification()).toEqual({ sentTo: account.email });
    const second = await tokenFromOutbox(h, account.email, "/verify-email");
    expect(second).not.toBe(first);
    await expectTRPCError((await h.as()).auth.verifyEmail({ token: first }), "BAD_REQUEST");

    // Two more go out, then the account must wait: three emails per hour before delays start.
    await (await account.caller()).auth.resendVerification();
    await (await account.caller()).auth.resendVerification();
    const throttled = await expectTRPCError((await account.caller()).auth.resendVerification(), "TOO_MANY_REQUESTS");
    expect(throttled.message).toMatch(/^Too many emails asked for\. Try again in \d+ seconds/);
    expect(await outbox(h, account.email)).toHaveLength(4);

    const newest = await tokenFromOutbox(h, account.email, "/verify-email");
    await (await h.as()).auth.verifyEmail({ token: newest });
    await h.database.sql`delete from throttle_counters`;
    const done = await expectTRPCError((await account.caller()).auth.resendVerification(), "PRECONDITION_FAILED");
    expect(done.message).toBe("Your email address is verified already.");
  });

  it("two requests with one link at once: exactly one verifies", async () => {
    const account = await signUp();
    const token = await tokenFromOutbox(h, account.email, "/verify-email");
    const [a, b] = await Promise.all([h.as(), h.as()]);
    const results = await Promise.allSettled([a.auth.verifyEmail({ token }), b.auth.verifyEmail({ token })]);
    expect(results.map((result) => result.status).sort()).toEqual(["fulfilled", "rejected"]);
    const [event] = await h.database.sql<{ count: number }[]>`
      select count(*)::int from audit_events where action = 'auth.verifyEmail' and details->>'outcome' = 'success'
        and actor_id = ${account.id}`;
    expect(event?.count).toBe(1);
  });

  it("answers BAD_REQUEST, never 500, for tokens that cannot be one", async () => {
    for (const token of ["", "   ", "A".repeat(32), "x", "a".repeat(101), `${"a".repeat(31)}\u0000`, "../../etc"]) {
      await expectTRPCError((await h.as()).auth.verifyEmail({ token }), "BAD_REQUEST");
    }
    await expectTRPCError(
      (await h.as()).auth.resetPassword({ token: "a".repeat(32), password: "x".repeat(20) }),
      "BAD_REQUEST",
    );
  });
});

describe("REQUIRE_VERIFIED_EMAIL", () => {
  it("off (the default): unverified accounts publish and comment", async () => {
    const account = await signUp("free");
    const article = await (await account.caller()).articles.create({
      title: "Unverified",
      description: "d",
      body: "b",
    });
    await (await account.caller()).comments.add({ slug: article.slug, body: "Still fine" });
  });

  it("on: unverified accounts are refused with what to do, and publish once verified", async () => {
    const strict = await createHarness({ requireVerifiedEmail: true });
    try {
      const result = await (await strict.as()).auth.signUp({
        email: "strict@example.com",
        username: "strict",
        password: DEFAULT_PASSWORD,
        session: "token",
      });
      const token = result.token ?? "";
      const caller = () => strict.as({ bearer: token });
      const refused = await expectTRPCError(
        (await caller()).articles.create({ title: "Too soon", description: "d", body: "b" }),
        "FORBIDDEN",
      );
      expect(refused.message).toBe(UNVERIFIED_EMAIL);

      const verifiedAuthor = await strict.createUser();
      await strict.database.sql`update users set email_verified_at = now() where id = ${verifiedAuthor.id}`;
      const author = await strict.as({ bearer: await strict.signIn(verifiedAuthor.email) });
      const article = await author.articles.create({ title: "Verified", description: "d", body: "b" });
      await expectTRPCError((await caller()).comments.add({ slug: article.slug, body: "Hi" }), "FORBIDDEN");
      await expectTRPCError((await caller()).articles.update({ slug: article.slug, body: "x" }), "FORBIDDEN");

      const link = await tokenFromOutbox(strict, "strict@example.com", "/verify-email");
      await (await strict.as()).auth.verifyEmail({ token: link });
      await (await caller()).articles.create({ title: "Now", description: "d", body: "b" });
      await (await caller()).comments.add({ slug: article.slug, body: "Hi" });
    } finally {
      await strict.close();
    }
  });
});

describe("changing the email address", () => {
  it("links the new address, tells the old one, and changes only when the link is opened", async () => {
    const account = await signUp("mover");
    await (await h.as()).auth.verifyEmail({ token: await tokenFromOutbox(h, account.email, "/verify-email") });
    await h.database.sql`delete from email_messages`;

    const newEmail = `new-${account.email}`;
    expect(await (await account.caller()).auth.changeEmail({ email: newEmail })).toEqual({ pendingEmail: newEmail });
    const [toNew, toOld, ...others] = await outbox(h);
    expect(others).toEqual([]);
    expect(toNew).toMatchObject({
      recipient: newEmail,
      subject: "Confirm your new email address for Inkwell",
      template: "email-change-verification",
    });
    expect(toOld).toMatchObject({
      recipient: account.email,
      subject: "Your Inkwell email address is about to change",
      template: "email-change-notice",
    });
    expect(toOld?.text).toContain(`asked to change its email address to ${newEmail}.`);
    expect(toOld?.text).not.toContain("token=");
    // Until confirmed, nothing changed: the old address signs in, verified as it was.
    expect(await me(account.token)).toMatchObject({ email: account.email, emailVerified: true });
    await h.signIn(account.email);

    const token = linkToken(toNew?.text ?? "", "/verify-email");
    expect(await (await h.as()).auth.verifyEmail({ token })).toEqual({ email: newEmail, changed: true });
    expect(await me(account.token)).toMatchObject({ email: newEmail, emailVerified: true });
    await h.signIn(newEmail);
    await expectTRPCError(h.signIn(account.email), "UNAUTHORIZED");
  });

  it("through updateProfile (REST PUT /user): the answer keeps the current address and names the pending one", async () => {
    const account = await signUp("profiled");
    const newEmail = `other-${account.email}`;
    const answer = await (await account.caller()).auth.updateProfile({ email: newEmail, bio: "Moved" });
    expect(answer).toMatchObject({ email: account.email, pendingEmail: newEmail, bio: "Moved" });
    expect((await outbox(h, newEmail)).map((email) => email.template)).toEqual(["email-change-verification"]);
    // Only the letter case: the same mailbox, set at once, still verified or not as before.
    const upper = account.email.toUpperCase();
    expect(await (await account.caller()).auth.updateProfile({ email: upper })).toMatchObject({
      email: upper,
      pendingEmail: null,
    });
  });

  it("refuses an address another account has, and a change confirmed after someone took it", async () => {
    const account = await signUp("collider");
    const other = await signUp("owner");
    const taken = await expectTRPCError(
      (await account.caller()).auth.changeEmail({ email: other.email.toUpperCase() }),
      "CONFLICT",
    );
    expect(taken.message).toBe("This email is already registered.");

    await (await account.caller()).auth.changeEmail({ email: "contested@example.com" });
    const token = await tokenFromOutbox(h, "contested@example.com", "/verify-email");
    await (await other.caller()).auth.updateProfile({ email: "CONTESTED@example.com" });
    await (await h.as()).auth.verifyEmail({
      token: await tokenFromOutbox(h, "CONTESTED@example.com", "/verify-email"),
    });
    await expectTRPCError((await h.as()).auth.verifyEmail({ token }), "CONFLICT");
    expect((await me(account.token)).email).toBe(account.email);
  });

  it("confirming a new address ends the reset links sent to the old one", async () => {
    const account = await signUp("switcher");
    await (await account.caller()).auth.changeEmail({ email: "switched@example.com" });
    const change = await tokenFromOutbox(h, "switched@example.com", "/verify-email");
    const verifyOld = await tokenFromOutbox(h, account.email, "/verify-email");
    await h.database.sql`insert into account_tokens (purpose, user_id, token_hash, expires_at)
      values ('reset_password', ${account.id}, '\\x00', now() + interval '1 hour')`;
    await (await h.as()).auth.verifyEmail({ token: change });
    const [left] = await h.database.sql<{ count: number }[]>`
      select count(*)::int from account_tokens where user_id = ${account.id} and used_at is null`;
    expect(left?.count).toBe(0);
    // The old address's verification link no longer verifies anything.
    await expectTRPCError((await h.as()).auth.verifyEmail({ token: verifyOld }), "BAD_REQUEST");
  });
});
