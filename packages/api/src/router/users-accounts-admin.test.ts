import { schema } from "@inkwell/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DomainError } from "../errors.ts";
import { endElapsedSuspensions } from "../services/maintenance.ts";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, DEFAULT_PASSWORD, type Harness } from "../testing/harness.ts";
import { linkToken, outbox } from "../testing/outbox.ts";

let h: Harness;
let admin: Awaited<ReturnType<Harness["as"]>>;
let adminId: number;
let adminName: string;
beforeAll(async () => {
  h = await createHarness();
  const signedIn = await h.signedIn("admin");
  adminId = signedIn.user.id;
  adminName = signedIn.user.username;
  admin = await h.as({ bearer: signedIn.token });
});
afterAll(() => h.close());

let unique = 0;
const fresh = (prefix: string) => `${prefix}${++unique}_${Date.now().toString(36)}`;

async function lastEvent(action: string, targetId?: number) {
  const [event] = await h.database.sql<
    { actor_id: number | null; target_type: string; target_id: string; details: Record<string, unknown> }[]
  >`select actor_id, target_type, target_id, details from audit_events
    where action = ${action} and (${targetId ?? null}::text is null or target_id = ${String(targetId ?? "")})
    order by id desc limit 1`;
  return event;
}

const fieldsOf = (error: { cause?: unknown }) => (error.cause as DomainError).fields;

async function inviteToken(email: string) {
  const emails = (await outbox(h, email)).filter((message) => message.template === "invitation");
  const newest = emails.at(-1);
  if (!newest) throw new Error(`no invitation to ${email}`);
  return linkToken(newest.text, "/accept-invite");
}

describe("users.create", () => {
  it("creates a user with the operator's password, who can sign in; audited without the password", async () => {
    const username = fresh("made");
    const created = await admin.users.create({
      username,
      email: `${username}@example.com`,
      role: "moderator",
      password: "a long enough password",
    });
    expect(created).toMatchObject({ username, role: "moderator", status: "active", invited: false });
    const token = await h.signIn(`${username}@example.com`, "a long enough password");
    expect((await (await h.as({ bearer: token })).auth.me()).user.id).toBe(created.id);
    const event = await lastEvent("users.create", created.id);
    expect(event).toMatchObject({ actor_id: adminId, target_type: "user", target_id: String(created.id) });
    expect(event?.details).toMatchObject({ outcome: "success", username, role: "moderator" });
    expect(JSON.stringify(event?.details)).not.toContain("a long enough password");
    // No invitation goes out for a user with a password.
    expect(await outbox(h, `${username}@example.com`)).toEqual([]);
  });

  it("refuses a username or email taken in another case, as a field message, and changes nothing", async () => {
    const existing = await h.createUser();
    const taken = await expectTRPCError(
      admin.users.create({
        username: existing.username.toUpperCase(),
        email: `${fresh("other")}@example.com`,
        password: "a long enough password",
      }),
      "CONFLICT",
    );
    expect(fieldsOf(taken)).toEqual({ username: ["This username is taken."] });
    const takenEmail = await expectTRPCError(
      admin.users.invite({ username: fresh("other"), email: existing.email.toUpperCase() }),
      "CONFLICT",
    );
    expect(fieldsOf(takenEmail)).toEqual({ email: ["This email is already registered."] });
    expect(await outbox(h, existing.email.toUpperCase())).toEqual([]);
  });

  it("of two creations with one name at once, exactly one wins", async () => {
    const username = fresh("race");
    const results = await Promise.allSettled([
      admin.users.create({ username, email: `${username}a@example.com`, password: "a long enough password" }),
      admin.users.invite({ username: username.toUpperCase(), email: `${username}b@example.com` }),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const [rejected] = results.filter((result) => result.status === "rejected");
    expect((rejected as PromiseRejectedResult).reason.code).toBe("CONFLICT");
  });

  it("validates: bad names, short passwords, a breached password for an operator role", async () => {
    const email = `${fresh("v")}@example.com`;
    await expectTRPCError(
      admin.users.create({ username: "bad name!", email, password: "a long enough password" }),
      "BAD_REQUEST",
    );
    await expectTRPCError(admin.users.create({ username: fresh("v"), email, password: "short" }), "BAD_REQUEST");
    await expectTRPCError(admin.users.invite({ username: fresh("v"), email: "not an address" }), "BAD_REQUEST");
    await expectTRPCError(admin.users.invite({ username: `a\u0000b`, email }), "BAD_REQUEST");
    await expectTRPCError(admin.users.invite({ username: "x".repeat(41), email }), "BAD_REQUEST");
    const breached = await expectTRPCError(
      admin.users.create({ username: fresh("v"), email, role: "admin", password: "password123" }),
      "BAD_REQUEST",
    );
    expect(fieldsOf(breached)).toHaveProperty("password");
  });

  it("needs users:manage: a moderator is refused", async () => {
    const moderator = await h.as({ bearer: (await h.signedIn("moderator")).token });
    const username = fresh("nope");
    await expectTRPCError(moderator.users.invite({ username, email: `${username}@example.com` }), "FORBIDDEN");
    await expectTRPCError(
      moderator.users.create({ username, email: `${username}@example.com`, password: "a long enough password" }),
      "FORBIDDEN",
    );
  });
});

describe("users.invite", () => {
  it("emails a link that sets the first password once, verifies the address, and then signs in", async () => {
    const username = fresh("invited");
    const email = `${username}@example.com`;
    const created = await admin.users.invite({ username, email });
    expect(created).toMatchObject({ username, email, role: "user", invited: true });
    const [message] = await outbox(h, email);
    expect(message).toMatchObject({ subject: "You are invited to Inkwell", template: "invitation" });
    expect(message?.text).toContain(adminName);
    // Nobody knows the password until the link sets one.
    await expectTRPCError(
      (await h.as()).auth.signIn({ email, password: DEFAULT_PASSWORD, session: "token" }),
      "UNAUTHORIZED",
    );

    const token = await inviteToken(email);
    const anonymous = await h.as();
    expect(await anonymous.auth.resetPassword({ token, password: "my very own password" })).toEqual({
      passwordReset: true,
    });
    // Used once: the same link again, even with another password, is refused.
    const reused = await expectTRPCError(
      anonymous.auth.resetPassword({ token, password: "another fine password" }),
      "BAD_REQUEST",
    );
    expect(reused.message).toContain("invalid, has expired or was already used");
    const session = await h.signIn(email, "my very own password");
    const me = await (await h.as({ bearer: session })).auth.me();
    expect(me.user).toMatchObject({ id: created.id, emailVerified: true });
    expect((await admin.users.detail({ userId: created.id })).user.lastSignInAt).toBeInstanceOf(Date);
  });

  it("refuses an expired invitation, and one replaced by a newer one", async () => {
    const username = fresh("late");
    const email = `${username}@example.com`;
    const created = await admin.users.invite({ username, email });
    const first = await inviteToken(email);
    await h.database.sql`update account_tokens set expires_at = now() - interval '1 second'
      where user_id = ${created.id} and purpose = 'invite'`;
    await expectTRPCError((await h.as()).auth.resetPassword({ token: first, password: "too late now" }), "BAD_REQUEST");

    expect(await admin.users.resendInvitation({ userId: created.id })).toEqual({
      userId: created.id,
      username,
      email,
    });
    const second = await inviteToken(email);
    expect(second).not.toBe(first);
    await admin.users.resendInvitation({ userId: created.id });
    const third = await inviteToken(email);
    // Only the newest link counts.
    await expectTRPCError(
      (await h.as()).auth.resetPassword({ token: second, password: "not this one" }),
      "BAD_REQUEST",
    );
    expect(await (await h.as()).auth.resetPassword({ token: third, password: "finally chosen" })).toEqual({
      passwordReset: true,
    });
  });

  it("of two uses of one invitation at once, exactly one sets the password", async () => {
    const username = fresh("twice");
    const email = `${username}@example.com`;
    await admin.users.invite({ username, email });
    const token = await inviteToken(email);
    const anonymous = await h.as();
    const results = await Promise.allSettled([
      anonymous.auth.resetPassword({ token, password: "first password here" }),
      anonymous.auth.resetPassword({ token, password: "second password here" }),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const won = results[0]?.status === "fulfilled" ? "first password here" : "second password here";
    await h.signIn(email, won);
  });

  it("does not resend to someone who has signed in, nor to an account made with a password, nor to nobody", async () => {
    const username = fresh("joined");
    const email = `${username}@example.com`;
    const invited = await admin.users.invite({ username, email });
    await (await h.as()).auth.resetPassword({ token: await inviteToken(email), password: "chosen and used" });
    await h.signIn(email, "chosen and used");
    const refused = await expectTRPCError(admin.users.resendInvitation({ userId: invited.id }), "PRECONDITION_FAILED");
    expect(refused.message).toContain("signed in already");
    const { user } = await h.signedIn();
    const notInvited = await expectTRPCError(admin.users.resendInvitation({ userId: user.id }), "PRECONDITION_FAILED");
    expect(notInvited.message).toContain("was not invited");
    await expectTRPCError(admin.users.resendInvitation({ userId: 2_147_483_647 }), "NOT_FOUND");
  });

  it("an invitation token is no email verification token, and a reset token of another user does not help", async () => {
    const username = fresh("cross");
    const email = `${username}@example.com`;
    await admin.users.invite({ username, email });
    const token = await inviteToken(email);
    await expectTRPCError((await h.as()).auth.verifyEmail({ token }), "BAD_REQUEST");
    // Still usable for what it is for.
    expect(await (await h.as()).auth.resetPassword({ token, password: "chosen at last" })).toEqual({
      passwordReset: true,
    });
  });
});

describe("users.update", () => {
  it("changes username, email and bio, audited with before and after of the changed fields only", async () => {
    const user = await h.createUser();
    await h.database.sql`update users set email_verified_at = now(), bio = 'old bio' where id = ${user.id}`;
    const username = fresh("renamed");
    const edited = await admin.users.update({
      userId: user.id,
      username,
      email: `${username}@example.com`,
      bio: "old bio",
    });
    expect(edited).toEqual({
      userId: user.id,
      username,
      before: { username: user.username, email: user.email },
      after: { username, email: `${username}@example.com` },
    });
    const { details } = (await lastEvent("users.update", user.id)) ?? {};
    expect(details).toMatchObject({ outcome: "success" });
    // Exactly the changed fields: the bio was sent unchanged and is left out.
    expect(details?.before).toEqual({ username: user.username, email: user.email });
    expect(details?.after).toEqual({ username, email: `${username}@example.com` });
    // A new address is unproven.
    expect((await admin.users.detail({ userId: user.id })).user).toMatchObject({
      username,
      email: `${username}@example.com`,
      emailVerified: false,
      bio: "old bio",
    });
    // An empty bio clears it.
    expect((await admin.users.update({ userId: user.id, bio: "" })).after).toEqual({ bio: null });
    // Sending what is there already changes nothing, and says so.
    expect(await admin.users.update({ userId: user.id, username, bio: "" })).toEqual({
      userId: user.id,
      username,
      before: {},
      after: {},
    });
  });

  it("refuses a username or email another user has, in any case, as a field message", async () => {
    const user = await h.createUser();
    const other = await h.createUser();
    const taken = await expectTRPCError(
      admin.users.update({ userId: user.id, username: other.username.toUpperCase() }),
      "CONFLICT",
    );
    expect(fieldsOf(taken)).toEqual({ username: ["This username is taken."] });
    const takenEmail = await expectTRPCError(
      admin.users.update({ userId: user.id, email: other.email.toUpperCase() }),
      "CONFLICT",
    );
    expect(fieldsOf(takenEmail)).toEqual({ email: ["This email is already registered."] });
    expect((await admin.users.detail({ userId: user.id })).user.username).toBe(user.username);
    // Their own name in another case is theirs to take.
    expect((await admin.users.update({ userId: user.id, username: user.username.toUpperCase() })).after).toEqual({
      username: user.username.toUpperCase(),
    });
  });

  it("ends the emailed links of the old address when the email changes", async () => {
    const user = await h.createUser();
    await admin.users.forcePasswordReset({ userId: user.id, reason: "checking the link ends" });
    const [reset] = await outbox(h, user.email);
    const token = linkToken(reset?.text ?? "", "/reset-password");
    await admin.users.update({ userId: user.id, email: `${fresh("moved")}@example.com` });
    await expectTRPCError((await h.as()).auth.resetPassword({ token, password: "stolen mailbox" }), "BAD_REQUEST");
  });

  it("serialises concurrent edits: both land, and each audit event's before is what the other left", async () => {
    const user = await h.createUser();
    const [a, b] = [fresh("first"), fresh("second")];
    await Promise.all([
      admin.users.update({ userId: user.id, username: a }),
      admin.users.update({ userId: user.id, username: b }),
    ]);
    const events = await h.database.sql<{ details: { before: { username: string }; after: { username: string } } }[]>`
      select details from audit_events where action = 'users.update' and target_id = ${String(user.id)} order by id`;
    expect(events).toHaveLength(2);
    const [first, second] = events.map((event) => event.details);
    expect(first?.before.username).toBe(user.username);
    expect(second?.before.username).toBe(first?.after.username);
    expect((await admin.users.detail({ userId: user.id })).user.username).toBe(second?.after.username);
  });

  it("of two users renamed to one name at once, exactly one gets it", async () => {
    const [x, y] = [await h.createUser(), await h.createUser()];
    const name = fresh("wanted");
    const results = await Promise.allSettled([
      admin.users.update({ userId: x.id, username: name }),
      admin.users.update({ userId: y.id, username: name.toUpperCase() }),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(["fulfilled", "rejected"]);
    const [rejected] = results.filter((result) => result.status === "rejected");
    expect((rejected as PromiseRejectedResult).reason.code).toBe("CONFLICT");
  });

  it("an invitation and an edit racing for one email in another case: exactly one gets it, as a field CONFLICT", async () => {
    const existing = await h.createUser();
    const email = `${fresh("contested")}@example.com`;
    const results = await Promise.allSettled([
      admin.users.invite({ username: fresh("contender"), email }),
      admin.users.update({ userId: existing.id, email: email.toUpperCase() }),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(["fulfilled", "rejected"]);
    const [rejected] = results.filter((result) => result.status === "rejected") as PromiseRejectedResult[];
    expect(rejected?.reason.code).toBe("CONFLICT");
    expect(fieldsOf(rejected?.reason)).toEqual({ email: ["This email is already registered."] });
    const holders = await h.database.sql<{ n: number }[]>`
      select count(*)::int as n from users where lower(email) = ${email.toLowerCase()}`;
    expect(holders[0]?.n).toBe(1);
  });

  it("validates input and refuses unknown users and moderators", async () => {
    const user = await h.createUser();
    await expectTRPCError(admin.users.update({ userId: user.id, username: "" }), "BAD_REQUEST");
    await expectTRPCError(admin.users.update({ userId: user.id, email: "nope" }), "BAD_REQUEST");
    await expectTRPCError(admin.users.update({ userId: user.id, bio: "x".repeat(1001) }), "BAD_REQUEST");
    await expectTRPCError(admin.users.update({ userId: 2_147_483_647, bio: "hi" }), "NOT_FOUND");
    await expectTRPCError(admin.users.update({ userId: 0, bio: "hi" }), "BAD_REQUEST");
    const moderator = await h.as({ bearer: (await h.signedIn("moderator")).token });
    await expectTRPCError(moderator.users.update({ userId: user.id, bio: "hi" }), "FORBIDDEN");
  });
});

describe("suspension with a reason and an end date", () => {
  it("keeps the reason for operators, refuses sign-in until the end, and says until when", async () => {
    const user = await h.createUser();
    const until = new Date(Date.now() + 60 * 60_000);
    const suspended = await admin.users.suspend({ userId: user.id, reason: "spam in comments", until });
    expect(suspended).toMatchObject({
      status: "suspended",
      suspensionReason: "spam in comments",
      suspendedUntil: until,
    });
    expect((await lastEvent("users.suspend", user.id))?.details).toMatchObject({
      reason: "spam in comments",
      until: until.toISOString(),
    });
    const detail = await admin.users.detail({ userId: user.id });
    expect(detail.user).toMatchObject({ suspensionReason: "spam in comments", suspendedUntil: until });
    const refused = await expectTRPCError(
      (await h.as()).auth.signIn({ email: user.email, password: DEFAULT_PASSWORD, session: "token" }),
      "FORBIDDEN",
    );
    expect(refused.message).toContain("suspended until");
    expect(refused.message).not.toContain("spam");
  });

  it("refuses an end date in the past", async () => {
    const user = await h.createUser();
    const error = await expectTRPCError(
      admin.users.suspend({ userId: user.id, until: new Date(Date.now() - 1000) }),
      "BAD_REQUEST",
    );
    expect(fieldsOf(error)).toHaveProperty("until");
    expect((await admin.users.detail({ userId: user.id })).user.status).toBe("active");
    await expectTRPCError(admin.users.suspend({ userId: user.id, reason: "x".repeat(501) }), "BAD_REQUEST");
  });

  it("lets the user sign in once the end has passed, before the maintenance job, and their API keys work again", async () => {
    const { user, token } = await h.signedIn();
    const key = await (await h.as({ bearer: token })).apiKeys.create({ name: "bot", scopes: ["articles:write"] });
    await admin.users.suspend({ userId: user.id, until: new Date(Date.now() + 60_000) });
    await expectTRPCError((await h.as({ bearer: key.key })).auth.me(), "UNAUTHORIZED");
    await h.database.sql`update users set suspended_until = now() - interval '1 second' where id = ${user.id}`;
    // The key counts the suspension as over at once.
    expect((await (await h.as({ bearer: key.key })).auth.me()).user.id).toBe(user.id);
    const session = await h.signIn(user.email);
    expect((await (await h.as({ bearer: session })).auth.me()).user.status).toBe("active");
    // Signing in lifted it for good.
    expect((await admin.users.detail({ userId: user.id })).user).toMatchObject({
      status: "active",
      suspendedUntil: null,
      suspensionReason: null,
    });
  });

  it("is lifted by the maintenance step at its end, audited; open-ended and future ones stay", async () => {
    const [elapsed, future, openEnded] = [await h.createUser(), await h.createUser(), await h.createUser()];
    await admin.users.suspend({ userId: elapsed.id, reason: "cool off", until: new Date(Date.now() + 60_000) });
    await admin.users.suspend({ userId: future.id, until: new Date(Date.now() + 3_600_000) });
    await admin.users.suspend({ userId: openEnded.id, reason: "for good" });
    await h.database.sql`update users set suspended_until = now() - interval '1 minute' where id = ${elapsed.id}`;

    expect(await endElapsedSuspensions(h.database.db, new Date(), { batchSize: 1 })).toBe(1);
    expect(await endElapsedSuspensions(h.database.db, new Date())).toBe(0);
    const status = async (id: number) => (await admin.users.detail({ userId: id })).user;
    expect(await status(elapsed.id)).toMatchObject({ status: "active", suspendedUntil: null, suspensionReason: null });
    expect((await status(future.id)).status).toBe("suspended");
    expect(await status(openEnded.id)).toMatchObject({ status: "suspended", suspensionReason: "for good" });
    expect(await lastEvent("users.suspensionEnded", elapsed.id)).toMatchObject({
      actor_id: null,
      target_type: "user",
      details: { outcome: "success", username: elapsed.username, by: "schedule" },
    });
  });

  it("restore clears the reason and end date", async () => {
    const user = await h.createUser();
    await admin.users.suspend({ userId: user.id, reason: "a mistake", until: new Date(Date.now() + 60_000) });
    await admin.users.restore({ userId: user.id });
    expect((await admin.users.detail({ userId: user.id })).user).toMatchObject({
      status: "active",
      suspensionReason: null,
      suspendedUntil: null,
    });
  });
});

describe("last sign-in, linked identities and passkeys", () => {
  it("records the last sign-in without touching updatedAt, and sorts by it", async () => {
    const user = await h.createUser();
    const before = (await admin.users.detail({ userId: user.id })).user;
    expect(before.lastSignInAt).toBeNull();
    await h.signIn(user.email);
    const after = (await admin.users.detail({ userId: user.id })).user;
    expect(after.lastSignInAt).toBeInstanceOf(Date);
    expect(after.updatedAt).toEqual(before.updatedAt);

    const page = await admin.users.list({ sort: "lastSignInAt", direction: "asc", pageSize: 100 });
    const times = page.users.map((row) => row.lastSignInAt?.getTime() ?? Number.NEGATIVE_INFINITY);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(page.users[0]?.lastSignInAt).toBeNull();
  });

  it("lists the user's identities and passkeys, read-only, on their page", async () => {
    const user = await h.createUser();
    await h.database.db.insert(schema.userIdentities).values({
      userId: user.id,
      provider: "github",
      subject: fresh("gh"),
      displayName: "octo",
      email: user.email,
      lastUsedAt: new Date(),
    });
    await h.database.db.insert(schema.passkeys).values({
      userId: user.id,
      credentialId: fresh("cred"),
      publicKey: new Uint8Array([1, 2, 3]),
      userHandle: fresh("handle"),
      multiDevice: true,
      backedUp: true,
      name: "Laptop",
    });
    const detail = await admin.users.detail({ userId: user.id });
    expect(detail.identities).toEqual([
      expect.objectContaining({ provider: "github", displayName: "octo", lastUsedAt: expect.any(Date) }),
    ]);
    expect(detail.passkeys).toEqual([
      expect.objectContaining({ name: "Laptop", multiDevice: true, lastUsedAt: null, createdAt: expect.any(Date) }),
    ]);
    const plain = await h.as({ bearer: (await h.signedIn()).token });
    await expectTRPCError(plain.users.detail({ userId: user.id }), "FORBIDDEN");
  });
});
