import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, DEFAULT_PASSWORD, type Harness } from "../testing/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe("operators' user management", () => {
  it("suspending a user ends their sessions at once and refuses their sign-in; restoring lets them back", async () => {
    const admin = await h.signedIn("admin");
    const target = await h.signedIn("user");
    const key = await (await h.as({ bearer: target.token })).apiKeys.create({ name: "k", scopes: [] });

    const suspended = await (await h.as({ bearer: admin.token })).users.suspend({ userId: target.user.id });
    expect(suspended).toMatchObject({ id: target.user.id, status: "suspended", endedSessions: 1 });
    await expectTRPCError((await h.as({ bearer: target.token })).auth.me(), "UNAUTHORIZED");
    await expectTRPCError((await h.as({ bearer: key.key })).auth.me(), "UNAUTHORIZED");
    await expectTRPCError(
      (await h.as()).auth.signIn({ email: target.user.email, password: DEFAULT_PASSWORD }),
      "FORBIDDEN",
    );

    await (await h.as({ bearer: admin.token })).users.restore({ userId: target.user.id });
    await h.signIn(target.user.email);
    await (await h.as({ bearer: key.key })).auth.me();
  });

  it("a session stops working the moment its user is suspended, even without the procedure", async () => {
    const target = await h.signedIn("user");
    await h.database.sql`update users set status = 'suspended' where id = ${target.user.id}`;
    await expectTRPCError((await h.as({ bearer: target.token })).auth.me(), "UNAUTHORIZED");
  });

  it("changes roles, which changes permissions at once", async () => {
    const admin = await h.signedIn("admin");
    const target = await h.signedIn("user");
    expect((await (await h.as({ bearer: target.token })).auth.me()).permissions).not.toContain("content:moderate");
    const updated = await (await h.as({ bearer: admin.token })).users.setRole({
      userId: target.user.id,
      role: "moderator",
    });
    expect(updated.role).toBe("moderator");
    expect((await (await h.as({ bearer: target.token })).auth.me()).permissions).toContain("content:moderate");
  });

  it("refuses operators acting on themselves, unknown users, and callers without users:manage", async () => {
    const admin = await h.signedIn("admin");
    const moderator = await h.signedIn("moderator");
    const asAdmin = await h.as({ bearer: admin.token });
    await expectTRPCError(asAdmin.users.suspend({ userId: admin.user.id }), "FORBIDDEN");
    await expectTRPCError(asAdmin.users.setRole({ userId: admin.user.id, role: "user" }), "FORBIDDEN");
    await expectTRPCError(asAdmin.users.suspend({ userId: 999_999 }), "NOT_FOUND");
    await expectTRPCError(
      (await h.as({ bearer: moderator.token })).users.suspend({ userId: admin.user.id }),
      "FORBIDDEN",
    );
    await expectTRPCError(asAdmin.users.setRole({ userId: moderator.user.id, role: "root" as never }), "BAD_REQUEST");
  });
});
