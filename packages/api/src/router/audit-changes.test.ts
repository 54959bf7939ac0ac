import { desc, eq, schema } from "@inkwell/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changedFields } from "../middleware/audit-changes.ts";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, DEFAULT_PASSWORD, type Harness } from "../testing/harness.ts";

let h: Harness;
let admin: Awaited<ReturnType<Harness["as"]>>;

beforeAll(async () => {
  h = await createHarness();
  admin = await h.as({ bearer: (await h.signedIn("admin")).token });
});
afterAll(() => h.close());

/** The details of the newest event of `action`, as stored. */
async function lastDetails(action: string): Promise<Record<string, unknown>> {
  const [row] = await h.database.db
    .select({ details: schema.auditEvents.details })
    .from(schema.auditEvents)
    .where(eq(schema.auditEvents.action, action))
    .orderBy(desc(schema.auditEvents.id))
    .limit(1);
  if (!row) throw new Error(`no ${action} event`);
  return row.details;
}

describe("before/after values of changes in the audit log", () => {
  it("role, suspension and restore: the changed field alone, old and new", async () => {
    const user = await h.createUser();
    await admin.users.setRole({ userId: user.id, role: "moderator" });
    expect(await lastDetails("users.setRole")).toMatchObject({
      before: { role: "user" },
      after: { role: "moderator" },
    });
    expect(Object.keys((await lastDetails("users.setRole")).after as object)).toEqual(["role"]);

    await admin.users.suspend({ userId: user.id });
    const suspended = await lastDetails("users.suspend");
    expect(suspended.before).toEqual({ status: "active" });
    expect(suspended.after).toEqual({ status: "suspended" });

    await admin.users.restore({ userId: user.id });
    const restored = await lastDetails("users.restore");
    expect(restored.before).toEqual({ status: "suspended" });
    expect(restored.after).toEqual({ status: "active" });
  });

  it("a change that changes nothing records no before/after", async () => {
    const user = await h.createUser({ role: "moderator" });
    await admin.users.setRole({ userId: user.id, role: "moderator" });
    const details = await lastDetails("users.setRole");
    expect(details).not.toHaveProperty("before");
    expect(details).not.toHaveProperty("after");
  });

  it("a failed change records none either", async () => {
    await expectTRPCError(admin.users.setRole({ userId: 2_000_000_000, role: "moderator" }), "NOT_FOUND");
    const details = await lastDetails("users.setRole");
    expect(details).toMatchObject({ outcome: "failure" });
    expect(details).not.toHaveProperty("before");
  });

  it("profile edits: the fields that changed, and never the password or its hash", async () => {
    const { user, token } = await h.signedIn();
    const own = await h.as({ bearer: token });
    await own.auth.updateProfile({
      username: `${user.username}-2`,
      bio: "new bio",
      password: "a brand new password",
    });
    const details = await lastDetails("auth.updateProfile");
    expect(details.before).toEqual({ username: user.username, bio: null });
    expect(details.after).toEqual({ username: `${user.username}-2`, bio: "new bio" });
    const stored = JSON.stringify(await h.database.sql`select details from audit_events`);
    expect(stored).not.toContain("a brand new password");
    expect(stored).not.toContain(DEFAULT_PASSWORD);
    expect(stored).not.toMatch(/passwordHash|\$argon2|\$scrypt/);
  });

  it("tag rename and merge", async () => {
    const [js, javascript, ecma] = await h.database.db
      .insert(schema.tags)
      .values([{ name: "js-old" }, { name: "javascript" }, { name: "ecmascript" }])
      .returning();
    if (!js || !javascript || !ecma) throw new Error("no tags");
    await admin.tags.rename({ id: js.id, name: "js" });
    expect(await lastDetails("tags.rename")).toMatchObject({ before: { name: "js-old" }, after: { name: "js" } });

    await admin.tags.merge({ sourceIds: [js.id, ecma.id], targetId: javascript.id });
    const merged = await lastDetails("tags.merge");
    expect(merged.after).toEqual({ tags: ["javascript"] });
    expect([...((merged.before as { tags: string[] }).tags ?? [])].sort()).toEqual(["ecmascript", "javascript", "js"]);
  });

  it("webhook endpoint update: URL, events, enabled; never the signing secret", async () => {
    const { id, secret } = await admin.webhooks.create({
      url: "https://hooks.example.com/a",
      events: ["user.created"],
    });
    await admin.webhooks.update({ id, url: "https://hooks.example.com/b", enabled: false });
    const details = await lastDetails("webhooks.update");
    expect(details.before).toEqual({ url: "https://hooks.example.com/a", enabled: true });
    expect(details.after).toEqual({ url: "https://hooks.example.com/b", enabled: false });
    // The same events in another order are no change.
    await admin.webhooks.update({ id, events: ["user.created"] });
    expect(await lastDetails("webhooks.update")).not.toHaveProperty("before");
    expect(JSON.stringify(await h.database.sql`select details from audit_events`)).not.toContain(secret);
  });

  it("settings: the roles that must use two-factor sign-in", async () => {
    await admin.settings.requireTwoFactor.set({ roles: ["moderator"] });
    expect(await lastDetails("settings.requireTwoFactor.set")).toMatchObject({
      before: { roles: [] },
      after: { roles: ["moderator"] },
    });
  });

  it("the audit page carries them to the console", async () => {
    const user = await h.createUser();
    await admin.users.setRole({ userId: user.id, role: "admin" });
    const { events } = await admin.audit.list({ action: "users.setRole", targetId: String(user.id) });
    expect(events[0]?.details).toMatchObject({ before: { role: "user" }, after: { role: "admin" } });
  });
});

describe("changedFields", () => {
  it("keeps fields both sides name that differ; skips id, secrets and undefined", () => {
    expect(
      changedFields(
        { id: 1, role: "user", bio: null, passwordHash: "a", token: "t", at: new Date(0), same: "x" },
        {
          id: 2,
          role: "admin",
          bio: "b",
          passwordHash: "b",
          token: "u",
          at: new Date(0),
          same: "x",
          extra: 1,
          gone: undefined,
        },
      ),
    ).toEqual({ before: { role: "user", bio: null }, after: { role: "admin", bio: "b" } });
    expect(changedFields({ a: 1 }, { a: 1 })).toBeNull();
    expect(changedFields({ events: ["b", "a"] }, { events: ["a", "b"] })).toBeNull();
  });
});
