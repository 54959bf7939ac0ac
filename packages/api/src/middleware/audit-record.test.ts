import { parseSessionToken } from "@inkwell/auth";
import { desc, eq, schema } from "@inkwell/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, DEFAULT_PASSWORD, type Harness } from "../testing/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

async function lastEvent(action: string) {
  const [row] = await h.database.db
    .select()
    .from(schema.auditEvents)
    .where(eq(schema.auditEvents.action, action))
    .orderBy(desc(schema.auditEvents.id))
    .limit(1);
  return row;
}

describe("audit log", () => {
  it("records successful and failed sign-ins with actor, address, user agent and request id, never the password", async () => {
    const user = await h.createUser();
    await expectTRPCError(
      (await h.as({ ip: "203.0.113.5", userAgent: "curl/8" })).auth.signIn({
        email: user.email,
        password: "wrong one",
      }),
      "UNAUTHORIZED",
    );
    const failure = await lastEvent("auth.signIn");
    expect(failure).toMatchObject({
      actorId: user.id,
      targetType: "user",
      targetId: String(user.id),
      ip: "203.0.113.5",
      userAgent: "curl/8",
    });
    expect(failure?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(failure?.details).toMatchObject({
      outcome: "failure",
      error: { code: "UNAUTHORIZED" },
      input: { email: user.email, password: "[redacted]" },
    });

    await h.signIn(user.email, DEFAULT_PASSWORD, "203.0.113.6");
    const success = await lastEvent("auth.signIn");
    expect(success).toMatchObject({ actorId: user.id, ip: "203.0.113.6", details: { outcome: "success" } });
    const everything = JSON.stringify(await h.database.sql`select * from audit_events`);
    expect(everything).not.toContain(DEFAULT_PASSWORD);
    expect(everything).not.toContain("wrong one");
  });

  it("records sign-out, password change, session revoke, key create and revoke, role and status changes", async () => {
    const admin = await h.signedIn("admin");
    const user = await h.createUser();
    const token = await h.signIn(user.email);
    const other = await h.signIn(user.email);
    const asUser = await h.as({ bearer: token });
    const asAdmin = await h.as({ bearer: admin.token });

    await asUser.auth.sessions.revoke({ id: parseSessionToken(other)?.id ?? "" });
    const key = await asUser.apiKeys.create({ name: "bot", scopes: [] });
    await asUser.apiKeys.revoke({ id: key.id });
    await asUser.auth.changePassword({ currentPassword: DEFAULT_PASSWORD, newPassword: "another password" });
    await asAdmin.users.setRole({ userId: user.id, role: "moderator" });
    await asAdmin.users.suspend({ userId: user.id });
    await asAdmin.users.restore({ userId: user.id });
    await asAdmin.auth.signOut();

    expect(await lastEvent("auth.sessions.revoke")).toMatchObject({
      actorId: user.id,
      targetType: "session",
      targetId: parseSessionToken(other)?.id,
    });
    expect(await lastEvent("apiKeys.create")).toMatchObject({
      actorId: user.id,
      targetType: "apiKey",
      targetId: String(key.id),
      details: { prefix: key.prefix },
    });
    expect(await lastEvent("apiKeys.revoke")).toMatchObject({ actorId: user.id, targetId: String(key.id) });
    const passwordChange = await lastEvent("auth.changePassword");
    expect(passwordChange).toMatchObject({
      actorId: user.id,
      details: {
        outcome: "success",
        endedSessions: 0,
        input: { currentPassword: "[redacted]", newPassword: "[redacted]" },
      },
    });
    expect(await lastEvent("users.setRole")).toMatchObject({
      actorId: admin.user.id,
      targetId: String(user.id),
      details: { role: "moderator" },
    });
    expect(await lastEvent("users.suspend")).toMatchObject({ actorId: admin.user.id, targetId: String(user.id) });
    expect(await lastEvent("users.restore")).toMatchObject({ actorId: admin.user.id, targetId: String(user.id) });
    expect(await lastEvent("auth.signOut")).toMatchObject({ actorId: admin.user.id });
  });

  it("records refused operator actions, and which API key acted", async () => {
    const moderator = await h.signedIn("moderator");
    const victim = await h.createUser();
    await expectTRPCError((await h.as({ bearer: moderator.token })).users.suspend({ userId: victim.id }), "FORBIDDEN");
    expect(await lastEvent("users.suspend")).toMatchObject({
      actorId: moderator.user.id,
      details: { outcome: "failure", error: { code: "FORBIDDEN" } },
    });

    const key = await (await h.as({ bearer: moderator.token })).apiKeys.create({
      name: "k",
      scopes: ["profile:write"],
    });
    await (await h.as({ bearer: key.key })).auth.updateProfile({ bio: "hi" });
    expect(await lastEvent("auth.updateProfile")).toMatchObject({ actorId: moderator.user.id, actorApiKeyId: key.id });
  });

  it("does not record input that failed validation", async () => {
    const before = await h.database.sql`select count(*)::int as n from audit_events`;
    await expectTRPCError(
      (await h.as()).auth.signUp({ email: "not-an-email", username: "x", password: "y" }),
      "BAD_REQUEST",
    );
    const after = await h.database.sql`select count(*)::int as n from audit_events`;
    expect(after[0]?.n).toBe(before[0]?.n);
  });
});
