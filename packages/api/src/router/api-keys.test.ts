import { hashSecret, parseApiKey } from "@inkwell/auth";
import { eq, schema } from "@inkwell/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DomainError } from "../errors.ts";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, type Harness } from "../testing/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

async function keyRow(id: number) {
  const [row] = await h.database.db.select().from(schema.apiKeys).where(eq(schema.apiKeys.id, id));
  return row;
}

describe("API keys", () => {
  it("shows the key once, with a recognisable prefix, and stores only a hash", async () => {
    const { token } = await h.signedIn();
    const owner = await h.as({ bearer: token });
    const created = await owner.apiKeys.create({ name: "CI bot", scopes: ["articles:write"] });
    expect(created.key).toMatch(/^ink_[a-z2-7]{16}_[a-z2-7]{32}$/);
    expect(created.key.startsWith(created.prefix)).toBe(true);

    const parsed = parseApiKey(created.key);
    const row = await keyRow(created.id);
    expect(Buffer.from(row?.secretHash ?? []).equals(Buffer.from(hashSecret(parsed?.secret ?? "")))).toBe(true);
    expect(JSON.stringify(await h.database.sql`select * from api_keys`)).not.toContain(parsed?.secret);

    const listed = await owner.apiKeys.list();
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      id: created.id,
      name: "CI bot",
      prefix: created.prefix,
      scopes: ["articles:write"],
    });
    expect(listed[0]).not.toHaveProperty("key");
    expect(listed[0]).not.toHaveProperty("secretHash");
  });

  it("acts with its scopes only, and records its last use", async () => {
    const { token } = await h.signedIn();
    const created = await (await h.as({ bearer: token })).apiKeys.create({ name: "writer", scopes: ["profile:write"] });
    expect((await keyRow(created.id))?.lastUsedAt).toBeNull();

    const viaKey = await h.as({ bearer: created.key });
    const me = await viaKey.auth.me();
    expect(me.credential).toMatchObject({ kind: "apiKey", apiKeyId: created.id, name: "writer" });
    expect(me.permissions).toEqual(["profile:write"]);
    await viaKey.auth.updateProfile({ bio: "set by a key" });
    const error = await expectTRPCError(viaKey.apiKeys.list(), "FORBIDDEN");
    expect(error.message).toContain('"keys:manage"');
    expect((await keyRow(created.id))?.lastUsedAt).toBeInstanceOf(Date);
  });

  it("cannot manage sessions or the password", async () => {
    const { token } = await h.signedIn();
    const created = await (await h.as({ bearer: token })).apiKeys.create({ name: "k", scopes: ["keys:manage"] });
    const viaKey = await h.as({ bearer: created.key });
    await expectTRPCError(viaKey.auth.sessions.list(), "FORBIDDEN");
    await expectTRPCError(viaKey.auth.changePassword({ currentPassword: "x", newPassword: "yyyyyyyy" }), "FORBIDDEN");
  });

  it("cannot mint keys, so no key outlives or outranks the key that made it; it may list and revoke", async () => {
    const { token } = await h.signedIn("admin");
    const owner = await h.as({ bearer: token });
    const parent = await owner.apiKeys.create({
      name: "short-lived manager",
      scopes: ["keys:manage", "articles:write"],
      expiresAt: new Date(Date.now() + 60 * 60 * 1000),
    });
    const viaKey = await h.as({ bearer: parent.key });
    const error = await expectTRPCError(viaKey.apiKeys.create({ name: "child", scopes: [] }), "FORBIDDEN");
    expect(error.message).toMatch(/API keys cannot/);
    expect(await h.database.sql`select 1 from api_keys where name = 'child'`).toHaveLength(0);

    const sibling = await owner.apiKeys.create({ name: "sibling", scopes: [] });
    expect((await viaKey.apiKeys.list()).map((key) => key.name)).toContain("sibling");
    expect(await viaKey.apiKeys.revoke({ id: sibling.id })).toMatchObject({ id: sibling.id });
  });

  it("cannot be given permissions its owner lacks", async () => {
    const { token } = await h.signedIn("user");
    const error = await expectTRPCError(
      (await h.as({ bearer: token })).apiKeys.create({ name: "greedy", scopes: ["users:manage", "articles:write"] }),
      "FORBIDDEN",
    );
    expect((error.cause as DomainError).fields?.scopes?.[0]).toContain("users:manage");
  });

  it("loses a scope when its owner's role no longer grants it", async () => {
    const { user, token } = await h.signedIn("moderator");
    const created = await (await h.as({ bearer: token })).apiKeys.create({
      name: "mod tool",
      scopes: ["content:moderate", "articles:write"],
    });
    await h.database.db.update(schema.users).set({ role: "user" }).where(eq(schema.users.id, user.id));
    expect((await (await h.as({ bearer: created.key })).auth.me()).permissions).toEqual(["articles:write"]);
  });

  it("stops working when revoked, and only its owner can revoke it", async () => {
    const { token } = await h.signedIn();
    const owner = await h.as({ bearer: token });
    const created = await owner.apiKeys.create({ name: "temp", scopes: [] });
    const stranger = await h.signedIn();
    await expectTRPCError((await h.as({ bearer: stranger.token })).apiKeys.revoke({ id: created.id }), "NOT_FOUND");
    await (await h.as({ bearer: created.key })).auth.me();

    const revoked = await owner.apiKeys.revoke({ id: created.id });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    await expectTRPCError((await h.as({ bearer: created.key })).auth.me(), "UNAUTHORIZED");
    await expectTRPCError(owner.apiKeys.revoke({ id: created.id }), "NOT_FOUND");
  });

  it("stops working when expired; refuses an expiry in the past", async () => {
    const { token } = await h.signedIn();
    const owner = await h.as({ bearer: token });
    await expectTRPCError(
      owner.apiKeys.create({ name: "old", scopes: [], expiresAt: new Date(Date.now() - 1000) }),
      "BAD_REQUEST",
    );
    const created = await owner.apiKeys.create({ name: "soon", scopes: [], expiresAt: new Date(Date.now() + 60_000) });
    await (await h.as({ bearer: created.key })).auth.me();
    await h.database.db
      .update(schema.apiKeys)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.apiKeys.id, created.id));
    await expectTRPCError((await h.as({ bearer: created.key })).auth.me(), "UNAUTHORIZED");
  });

  it("refuses a key whose secret is wrong", async () => {
    const { token } = await h.signedIn();
    const created = await (await h.as({ bearer: token })).apiKeys.create({ name: "x", scopes: [] });
    const forged = `${created.prefix}_${"a".repeat(32)}`;
    await expectTRPCError((await h.as({ bearer: forged })).auth.me(), "UNAUTHORIZED");
  });
});
