import { permissionsOf } from "@inkwell/auth";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, DEFAULT_PASSWORD, type Harness } from "../testing/harness.ts";
import { TestAuthenticator } from "../testing/totp.ts";
import { enrolTwoFactor, passwordStep } from "../testing/two-factor.ts";

let h: Harness;
let admin: Awaited<ReturnType<Harness["as"]>>;
beforeAll(async () => {
  h = await createHarness();
  admin = await h.as({ bearer: (await h.signedIn("admin")).token });
});
afterAll(() => h.close());
beforeEach(async () => {
  await h.database.sql`delete from settings`;
});

describe("settings.requireTwoFactor", () => {
  it("is read by operators and set by those who manage users, audited", async () => {
    const moderator = await h.as({ bearer: (await h.signedIn("moderator")).token });
    await expectTRPCError(moderator.settings.requireTwoFactor.set({ roles: [] }), "FORBIDDEN");
    expect(await admin.settings.requireTwoFactor.get()).toEqual({ roles: [], available: true });

    // An admin without two-factor sign-in cannot require it of admins: they would lose their own permissions.
    const refused = await expectTRPCError(
      admin.settings.requireTwoFactor.set({ roles: ["admin"] }),
      "PRECONDITION_FAILED",
    );
    expect(refused.message).toMatch(/^Turn on two-factor sign-in for yourself first/);
    expect(refused.cause).toMatchObject({ fields: { roles: [refused.message] } });

    const { user, token } = await h.signedIn("admin");
    await enrolTwoFactor(h, token);
    const protectedAdmin = await h.as({ bearer: token });
    // Stored in the order roles are listed, once each.
    expect(await protectedAdmin.settings.requireTwoFactor.set({ roles: ["admin", "moderator", "admin"] })).toEqual({
      roles: ["moderator", "admin"],
    });
    expect(await moderator.settings.requireTwoFactor.get()).toEqual({ roles: ["moderator", "admin"], available: true });
    // Admins without it now hold nothing, this one everything.
    expect((await (await h.as({ bearer: (await h.signedIn("admin")).token })).auth.me()).permissions).toEqual([]);
    expect((await (await h.as({ bearer: token })).auth.me()).permissions).toEqual(permissionsOf("admin"));

    const [event] = await h.database.sql<{ actor_id: number; target_type: string; details: { roles: string[] } }[]>`
      select actor_id, target_type, details from audit_events
      where action = 'settings.requireTwoFactor.set' and details->>'outcome' = 'success' order by id desc limit 1`;
    expect(event).toMatchObject({
      actor_id: user.id,
      target_type: "setting",
      details: { roles: ["moderator", "admin"] },
    });
  });

  it("cannot be required of plain users, whose RealWorld clients cannot send a code", async () => {
    const error = await expectTRPCError(admin.settings.requireTwoFactor.set({ roles: ["user"] }), "BAD_REQUEST");
    expect(error.message).toMatch(/Only operator roles/);
    expect((await admin.settings.requireTwoFactor.get()).roles).toEqual([]);
  });

  it("holds back every permission of a moderator without it, who can still enrol, until they have", async () => {
    const moderator = await h.createUser({ role: "moderator" });
    const { key } = await (await h.as({ bearer: await h.signIn(moderator.email) })).apiKeys.create({
      name: "moderation script",
      scopes: ["content:moderate", "users:read"],
    });
    await admin.settings.requireTwoFactor.set({ roles: ["moderator"] });

    // Signing in works and opens a session; it holds nothing but the right to enrol.
    const token = await h.signIn(moderator.email);
    const session = await h.as({ bearer: token });
    const me = await session.auth.me();
    expect(me.permissions).toEqual([]);
    expect(me.user).toMatchObject({ twoFactorEnabled: false, twoFactorEnrolmentRequired: true });
    await expectTRPCError(session.users.list({}), "FORBIDDEN");
    await expectTRPCError(session.articles.create({ title: "t", description: "d", body: "b" }), "FORBIDDEN");
    // Its API key is held to the same.
    const withKey = await h.as({ bearer: key });
    expect((await withKey.auth.me()).permissions).toEqual([]);
    await expectTRPCError(withKey.users.list({}), "FORBIDDEN");
    // Turning it off is refused while the role requires it (nothing to turn off yet, either).
    expect(await session.auth.twoFactor.status()).toMatchObject({ enabled: false, required: true, available: true });

    const { secret } = await session.auth.twoFactor.beginEnrolment();
    const app = new TestAuthenticator(secret);
    await session.auth.twoFactor.confirmEnrolment({ code: app.code() });

    const enrolled = await h.as({ bearer: token });
    expect((await enrolled.auth.me()).permissions).toEqual(permissionsOf("moderator"));
    expect((await enrolled.auth.me()).user.twoFactorEnrolmentRequired).toBe(false);
    expect((await enrolled.users.list({})).total).toBeGreaterThan(0);
    expect((await (await h.as({ bearer: key })).auth.me()).permissions).toEqual(["users:read", "content:moderate"]);

    const refused = await expectTRPCError(
      enrolled.auth.twoFactor.disable({ password: DEFAULT_PASSWORD }),
      "PRECONDITION_FAILED",
    );
    expect(refused.message).toMatch(/Your role requires two-factor sign-in/);
    // The next sign-in takes the second step.
    expect(await passwordStep(h, moderator.email)).toMatch(/^[a-z2-7]{24}\.[a-z2-7]{32}$/);
  });

  it("applies to sessions already open, at their next request, and lifts when the requirement does", async () => {
    const { token } = await h.signedIn("moderator");
    expect((await (await h.as({ bearer: token })).auth.me()).permissions).toEqual(permissionsOf("moderator"));
    await admin.settings.requireTwoFactor.set({ roles: ["moderator"] });
    expect((await (await h.as({ bearer: token })).auth.me()).permissions).toEqual([]);
    await admin.settings.requireTwoFactor.set({ roles: [] });
    expect((await (await h.as({ bearer: token })).auth.me()).permissions).toEqual(permissionsOf("moderator"));
  });

  it("leaves roles it does not name, and users who enrolled, untouched", async () => {
    const { token: userToken } = await h.signedIn("user");
    await admin.settings.requireTwoFactor.set({ roles: ["moderator"] });
    expect((await (await h.as({ bearer: userToken })).auth.me()).permissions).toEqual(permissionsOf("user"));
    // The admin who set it is no moderator.
    expect((await admin.auth.me()).permissions).toEqual(permissionsOf("admin"));
  });

  it("reads a malformed stored value as no requirement", async () => {
    await h.database.sql`insert into settings (key, value) values ('requireTwoFactor', '{"roles": "admin"}')`;
    expect((await admin.settings.requireTwoFactor.get()).roles).toEqual([]);
    expect((await (await h.as({ bearer: (await h.signedIn("admin")).token })).auth.me()).permissions).toEqual(
      permissionsOf("admin"),
    );
  });
});

describe("settings.requireTwoFactor without an encryption key", () => {
  let keyless: Harness;
  beforeAll(async () => {
    keyless = await createHarness({}, { encryptionKey: null });
  });
  afterAll(() => keyless.close());

  it("refuses to require what nobody could turn on", async () => {
    const caller = await keyless.as({ bearer: (await keyless.signedIn("admin")).token });
    expect(await caller.settings.requireTwoFactor.get()).toEqual({ roles: [], available: false });
    const error = await expectTRPCError(caller.settings.requireTwoFactor.set({ roles: ["admin"] }), "NOT_IMPLEMENTED");
    expect(error.message).toContain("ENCRYPTION_KEY");
    expect(await caller.settings.requireTwoFactor.set({ roles: [] })).toEqual({ roles: [] });
  });
});
