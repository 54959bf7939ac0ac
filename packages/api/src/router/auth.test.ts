import { hashSecret, parseSessionToken } from "@inkwell/auth";
import { eq, schema } from "@inkwell/db";
import { hash, parseOptions } from "@node-rs/argon2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { defaultAuthSettings } from "../auth/settings.ts";
import { Conflict, type DomainError } from "../errors.ts";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, DEFAULT_PASSWORD, type Harness } from "../testing/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe("auth.signUp", () => {
  it("creates a user and sets an HttpOnly, SameSite=Lax session cookie without exposing the token", async () => {
    const { call, resHeaders } = await h.request();
    const result = await call.auth.signUp({ email: "New@Example.com", username: "newbie", password: "long enough" });
    expect(result.user).toMatchObject({ email: "New@Example.com", username: "newbie", role: "user", bio: null });
    expect(result.token).toBeUndefined();
    const cookie = resHeaders.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^inkwell_session=[a-z2-7]{24}\.[a-z2-7]{32};/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).toContain("Path=/");
    expect(cookie).not.toContain("Secure");
  });

  it("hands the token in the body, not a cookie, when asked for a token", async () => {
    const { call, resHeaders } = await h.request();
    const result = await call.auth.signUp({
      email: "app@example.com",
      username: "appuser",
      password: "long enough",
      session: "token",
    });
    expect(parseSessionToken(result.token ?? "")).not.toBeNull();
    expect(resHeaders.get("set-cookie")).toBeNull();
  });

  it("refuses a taken email whatever its case, with a field error", async () => {
    const error = await expectTRPCError(
      (await h.as()).auth.signUp({ email: "NEW@example.COM", username: "someone", password: "long enough" }),
      "CONFLICT",
    );
    expect(error.cause).toBeInstanceOf(Conflict);
    expect((error.cause as Conflict).fields).toEqual({ email: ["This email is already registered."] });
  });

  it("refuses a taken username", async () => {
    const error = await expectTRPCError(
      (await h.as()).auth.signUp({ email: "other@example.com", username: "NEWBIE", password: "long enough" }),
      "CONFLICT",
    );
    expect((error.cause as DomainError).fields).toHaveProperty("username");
  });

  it("refuses passwords shorter than 8 or longer than 256 characters", async () => {
    for (const password of ["short", "x".repeat(257)]) {
      const error = await expectTRPCError(
        (await h.as()).auth.signUp({ email: "pw@example.com", username: "pw", password }),
        "BAD_REQUEST",
      );
      expect(error.cause).toBeInstanceOf(ZodError);
      expect((error.cause as ZodError).issues[0]?.path).toEqual(["password"]);
    }
    await expect(
      (await h.as()).auth.signUp({ email: "pw@example.com", username: "pw", password: "x".repeat(256) }),
    ).resolves.toBeTruthy();
  });
});

describe("auth.signIn", () => {
  it("issues a new token on every sign-in, stores only the SHA-256 of its secret", async () => {
    const user = await h.createUser();
    const first = await h.signIn(user.email);
    const second = await h.signIn(user.email);
    expect(first).not.toBe(second);

    const parsed = parseSessionToken(second);
    const [row] = await h.database.db
      .select()
      .from(schema.sessions)
      .where(eq(schema.sessions.id, parsed?.id ?? ""));
    expect(Buffer.from(row?.secretHash ?? []).equals(Buffer.from(hashSecret(parsed?.secret ?? "")))).toBe(true);
    const dump = JSON.stringify(await h.database.sql`select * from sessions`);
    expect(dump).not.toContain(parsed?.secret);

    for (const token of [first, second]) {
      const me = await (await h.as({ bearer: token })).auth.me();
      expect(me.user.id).toBe(user.id);
    }
  });

  it("signs in with the email in any case", async () => {
    const user = await h.createUser({ email: "MixedCase@Example.com" });
    const token = await h.signIn("mixedcase@example.com");
    expect((await (await h.as({ bearer: token })).auth.me()).user.id).toBe(user.id);
  });

  it("answers an unknown email and a wrong password with the same error", async () => {
    const user = await h.createUser();
    const wrong = await expectTRPCError(
      (await h.as({ ip: "198.51.100.1" })).auth.signIn({ email: user.email, password: "not the password" }),
      "UNAUTHORIZED",
    );
    const unknown = await expectTRPCError(
      (await h.as({ ip: "198.51.100.2" })).auth.signIn({ email: "nobody@example.com", password: "whatever1" }),
      "UNAUTHORIZED",
    );
    expect(wrong.message).toBe("Email or password is incorrect.");
    expect(unknown.message).toBe(wrong.message);
  });

  it("rehashes a password made with weaker parameters with the production policy, OWASP's minimum", async () => {
    // The default settings, as the server has them in production (this harness hashes cheaply otherwise).
    const production = await createHarness({ passwordPolicy: defaultAuthSettings.passwordPolicy });
    try {
      const weak = await hash(DEFAULT_PASSWORD, { algorithm: 2, memoryCost: 4096, timeCost: 1, parallelism: 1 });
      const user = await production.createUser();
      const { db } = production.database;
      await db.update(schema.users).set({ passwordHash: weak }).where(eq(schema.users.id, user.id));
      await production.signIn(user.email);
      const [row] = await db.select().from(schema.users).where(eq(schema.users.id, user.id));
      const options = parseOptions(row?.passwordHash ?? "");
      expect(options).toMatchObject({ algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
      await production.signIn(user.email);
    } finally {
      await production.close();
    }
  });

  it("refuses a suspended user", async () => {
    const user = await h.createUser({ status: "suspended" });
    const error = await expectTRPCError(
      (await h.as()).auth.signIn({ email: user.email, password: DEFAULT_PASSWORD }),
      "FORBIDDEN",
    );
    expect(error.message).toMatch(/suspended/);
  });
});

describe("auth.me and credentials", () => {
  it("rejects a token whose secret was tampered with", async () => {
    const { token } = await h.signedIn();
    const tampered = `${token.slice(0, -1)}${token.endsWith("a") ? "b" : "a"}`;
    const error = await expectTRPCError((await h.as({ bearer: tampered })).auth.me(), "UNAUTHORIZED");
    expect(error.message).toMatch(/invalid, expired or revoked/);
  });

  it("rejects a malformed Authorization header with a precise message", async () => {
    const caller = await h.as({ headers: { authorization: "Basic abc" } });
    const error = await expectTRPCError(caller.auth.me(), "UNAUTHORIZED");
    expect(error.message).toMatch(/Bearer <token>/);
  });

  it("accepts the session in the cookie and reports the role's permissions", async () => {
    const { user, token } = await h.signedIn("moderator");
    const me = await (await h.as({ cookie: token })).auth.me();
    expect(me.user.id).toBe(user.id);
    expect(me.credential.kind).toBe("session");
    expect(me.permissions).toContain("content:moderate");
    expect(me.permissions).not.toContain("users:manage");
  });

  it("clears a dead session cookie", async () => {
    const { call, resHeaders } = await h.request({
      cookie: "aaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
    });
    await expectTRPCError(call.auth.me(), "UNAUTHORIZED");
    expect(resHeaders.get("set-cookie")).toMatch(/^inkwell_session=; Max-Age=0/);
  });
});

describe("auth.signOut", () => {
  it("ends the session", async () => {
    const { token } = await h.signedIn();
    await (await h.as({ bearer: token })).auth.signOut();
    await expectTRPCError((await h.as({ bearer: token })).auth.me(), "UNAUTHORIZED");
  });

  it("clears the cookie of a browser", async () => {
    const { token } = await h.signedIn();
    const { call, resHeaders } = await h.request({ cookie: token, headers: { "sec-fetch-site": "same-origin" } });
    await call.auth.signOut();
    expect(resHeaders.get("set-cookie")).toMatch(/^inkwell_session=; Max-Age=0/);
  });
});

describe("auth.updateProfile", () => {
  it("updates fields, stores empty text as null", async () => {
    const { token } = await h.signedIn();
    const caller = await h.as({ bearer: token });
    const updated = await caller.auth.updateProfile({ bio: "Writes things", image: "https://example.com/a.png" });
    expect(updated).toMatchObject({ bio: "Writes things", image: "https://example.com/a.png" });
    const cleared = await caller.auth.updateProfile({ bio: "", image: null });
    expect(cleared).toMatchObject({ bio: null, image: null });
  });

  it("refuses a username someone else has", async () => {
    const other = await h.createUser();
    const { token } = await h.signedIn();
    const error = await expectTRPCError(
      (await h.as({ bearer: token })).auth.updateProfile({ username: other.username.toUpperCase() }),
      "CONFLICT",
    );
    expect((error.cause as DomainError).fields?.username).toEqual(["This username is taken."]);
  });
});

describe("auth.changePassword", () => {
  it("checks the current password, ends every other session and keeps this one", async () => {
    const user = await h.createUser();
    const here = await h.signIn(user.email);
    const elsewhere = await h.signIn(user.email);
    const caller = await h.as({ bearer: here });

    const wrong = await expectTRPCError(
      caller.auth.changePassword({ currentPassword: "not it at all", newPassword: "a brand new password" }),
      "BAD_REQUEST",
    );
    expect((wrong.cause as DomainError).fields).toHaveProperty("currentPassword");

    const result = await caller.auth.changePassword({
      currentPassword: DEFAULT_PASSWORD,
      newPassword: "a brand new password",
    });
    expect(result.endedSessions).toBe(1);
    await expectTRPCError((await h.as({ bearer: elsewhere })).auth.me(), "UNAUTHORIZED");
    expect((await (await h.as({ bearer: here })).auth.me()).user.id).toBe(user.id);
    await expectTRPCError(
      (await h.as({ ip: "203.0.113.9" })).auth.signIn({ email: user.email, password: DEFAULT_PASSWORD }),
      "UNAUTHORIZED",
    );
    await h.signIn(user.email, "a brand new password");
  });
});

describe("auth.updateProfile with a new password", () => {
  it("sets it without the current one from a fresh session, ending the other sessions", async () => {
    const user = await h.createUser();
    const here = await h.signIn(user.email);
    const elsewhere = await h.signIn(user.email);
    await (await h.as({ bearer: here })).auth.updateProfile({ password: "set without current" });
    await expectTRPCError((await h.as({ bearer: elsewhere })).auth.me(), "UNAUTHORIZED");
    await h.signIn(user.email, "set without current");
  });

  it("refuses it from a session older than an hour, and from API keys", async () => {
    const { user, token } = await h.signedIn();
    const key = await (await h.as({ bearer: token })).apiKeys.create({ name: "k", scopes: ["profile:write"] });
    await expectTRPCError(
      (await h.as({ bearer: key.key })).auth.updateProfile({ password: "new password 1" }),
      "FORBIDDEN",
    );
    await h.database.db
      .update(schema.sessions)
      .set({ createdAt: new Date(Date.now() - 2 * 60 * 60 * 1000) })
      .where(eq(schema.sessions.userId, user.id));
    const error = await expectTRPCError(
      (await h.as({ bearer: token })).auth.updateProfile({ password: "new password 1" }),
      "FORBIDDEN",
    );
    expect((error.cause as DomainError).fields?.password?.[0]).toMatch(/Sign in again/);
  });
});
