import { permissionsOf } from "@inkwell/auth";
import { ConfigError } from "@inkwell/config";
import { createTestDatabase } from "@inkwell/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DomainError } from "../errors.ts";
import { ensureInitialAdmin } from "../services/bootstrap.ts";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, type Harness } from "../testing/harness.ts";

/** `password123` and `12345678` are on the breached list; the other passwords here are not. */
const BREACHED = "password123";
const SOUND = "a sound passphrase of mine";

let h: Harness;
let strict: Harness;
beforeAll(async () => {
  [h, strict] = await Promise.all([createHarness(), createHarness({ rejectBreachedPasswords: true })]);
});
afterAll(() => Promise.all([h.close(), strict.close()]));

const fieldMessage = (error: { cause?: unknown }, field: string) => (error.cause as DomainError).fields?.[field]?.[0];

describe("breached passwords", () => {
  it("are accepted for a plain user's sign-up by default (RealWorld clients use them), and refused when configured", async () => {
    const signUp = (harness: Harness, password: string) =>
      harness.as().then((caller) =>
        caller.auth.signUp({
          email: `p${Math.random()}@example.com`,
          username: `p${Date.now()}`,
          password,
          session: "token",
        }),
      );
    const allowed = await signUp(h, BREACHED);
    expect(allowed.user.passwordChangeRequired).toBe(false);
    const refused = await expectTRPCError(signUp(strict, "12345678"), "BAD_REQUEST");
    expect(fieldMessage(refused, "password")).toMatch(/breached passwords/);
    await signUp(strict, SOUND);
  });

  it("leave an operator signing in with one a plain user's powers until they change it", async () => {
    const admin = await h.createUser({ role: "admin", password: BREACHED });
    const token = await h.signIn(admin.email, BREACHED);
    const caller = await h.as({ bearer: token });
    const me = await caller.auth.me();
    expect(me.user.passwordChangeRequired).toBe(true);
    expect(me.permissions).toEqual(permissionsOf("user"));
    await expectTRPCError(caller.users.list({}), "FORBIDDEN");

    const same = await expectTRPCError(
      caller.auth.changePassword({ currentPassword: BREACHED, newPassword: "12345678" }),
      "BAD_REQUEST",
    );
    expect(fieldMessage(same, "newPassword")).toMatch(/breached passwords/);
    await caller.auth.changePassword({ currentPassword: BREACHED, newPassword: SOUND });
    // The next request (a fresh context, as every HTTP request gets) has the admin's powers back.
    const next = await h.as({ bearer: token });
    expect((await next.auth.me()).user.passwordChangeRequired).toBe(false);
    expect((await next.auth.me()).permissions).toEqual(permissionsOf("admin"));
    await next.users.list({});
  });

  it("hold an operator's API keys to a plain user's powers too", async () => {
    const moderator = await h.createUser({ role: "moderator", password: SOUND });
    const caller = await h.as({ bearer: await h.signIn(moderator.email, SOUND) });
    const key = await caller.apiKeys.create({ name: "mod key", scopes: ["content:moderate", "articles:write"] });
    await h.database.sql`update users set password_is_common = true where id = ${moderator.id}`;
    const viaKey = await h.as({ bearer: key.key });
    expect((await viaKey.auth.me()).permissions).toEqual(["articles:write"]);
  });

  it("are refused when an operator sets one, with or without the current password", async () => {
    const moderator = await h.createUser({ role: "moderator", password: SOUND });
    const caller = await h.as({ bearer: await h.signIn(moderator.email, SOUND) });
    const error = await expectTRPCError(caller.auth.updateProfile({ password: BREACHED }), "BAD_REQUEST");
    expect(fieldMessage(error, "password")).toMatch(/breached passwords/);
  });

  it("stop an operator role being granted until the user changes theirs", async () => {
    const admin = await h.as({ bearer: (await h.signedIn("admin")).token });
    const user = await h.createUser({ password: BREACHED });
    await h.signIn(user.email, BREACHED); // the sign-in is when the server sees the plain password
    const error = await expectTRPCError(
      admin.users.setRole({ userId: user.id, role: "moderator" }),
      "PRECONDITION_FAILED",
    );
    expect(fieldMessage(error, "role")).toMatch(/must change it before they can be a moderator/);

    const self = await h.as({ bearer: await h.signIn(user.email, BREACHED) });
    await self.auth.changePassword({ currentPassword: BREACHED, newPassword: SOUND });
    expect(await admin.users.setRole({ userId: user.id, role: "moderator" })).toMatchObject({ role: "moderator" });
  });

  it("stop the server from creating its first admin with one", async () => {
    const database = await createTestDatabase();
    try {
      await expect(ensureInitialAdmin(database.db, { email: "root@example.com", password: BREACHED })).rejects.toThrow(
        ConfigError,
      );
      const [row] = await database.sql`select count(*)::int as n from users`;
      expect(row?.n).toBe(0);
    } finally {
      await database.drop();
    }
  });
});
