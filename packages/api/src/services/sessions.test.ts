import { parseSessionToken } from "@inkwell/auth";
import { eq, schema, sql } from "@inkwell/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectTRPCError } from "../test-support/errors.ts";
import { createHarness, type Harness } from "../test-support/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

async function sessionRow(token: string) {
  const id = parseSessionToken(token)?.id ?? "";
  const [row] = await h.database.db.select().from(schema.sessions).where(eq(schema.sessions.id, id));
  return row;
}

async function age(token: string, times: { createdAgoMs?: number; verifiedAgoMs?: number }) {
  const id = parseSessionToken(token)?.id ?? "";
  const now = Date.now();
  await h.database.db
    .update(schema.sessions)
    .set({
      ...(times.createdAgoMs !== undefined ? { createdAt: new Date(now - times.createdAgoMs) } : {}),
      ...(times.verifiedAgoMs !== undefined ? { lastVerifiedAt: new Date(now - times.verifiedAgoMs) } : {}),
    })
    .where(eq(schema.sessions.id, id));
}

describe("session lifetime", () => {
  it("ends a session unused for longer than the idle timeout (10 days), and deletes it", async () => {
    const { token } = await h.signedIn();
    await age(token, { createdAgoMs: 11 * DAY, verifiedAgoMs: 10 * DAY + HOUR });
    const error = await expectTRPCError((await h.as({ bearer: token })).auth.me(), "UNAUTHORIZED");
    expect(error.message).toMatch(/expired/);
    expect(await sessionRow(token)).toBeUndefined();
  });

  it("ends a session older than the absolute lifetime (30 days) even if used", async () => {
    const { token } = await h.signedIn();
    await age(token, { createdAgoMs: 30 * DAY + HOUR, verifiedAgoMs: HOUR });
    await expectTRPCError((await h.as({ bearer: token })).auth.me(), "UNAUTHORIZED");
  });

  it("keeps a session used within the idle timeout alive past it", async () => {
    const { token } = await h.signedIn();
    await age(token, { createdAgoMs: 20 * DAY, verifiedAgoMs: 9 * DAY });
    await (await h.as({ bearer: token })).auth.me();
    const row = await sessionRow(token);
    expect(Date.now() - (row?.lastVerifiedAt.getTime() ?? 0)).toBeLessThan(HOUR);
  });

  it("writes the last-verified time at most once an hour", async () => {
    const { token } = await h.signedIn();
    await age(token, { verifiedAgoMs: 30 * 60 * 1000 });
    const before = (await sessionRow(token))?.lastVerifiedAt;
    await (await h.as({ bearer: token })).auth.me();
    expect((await sessionRow(token))?.lastVerifiedAt).toEqual(before);

    await age(token, { verifiedAgoMs: 2 * HOUR });
    await (await h.as({ bearer: token })).auth.me();
    expect(Date.now() - ((await sessionRow(token))?.lastVerifiedAt.getTime() ?? 0)).toBeLessThan(60_000);
  });

  it("honours configured timeouts", async () => {
    const short = await createHarness({ sessionIdleTimeoutMs: HOUR, sessionMaxAgeMs: 2 * HOUR });
    try {
      const { token } = await short.signedIn();
      const me = await (await short.as({ bearer: token })).auth.me();
      const expiresIn = (me.credential.kind === "session" ? me.credential.expiresAt.getTime() : 0) - Date.now();
      expect(expiresIn).toBeGreaterThan(HOUR - 60_000);
      expect(expiresIn).toBeLessThanOrEqual(HOUR);
      const id = parseSessionToken(token)?.id ?? "";
      await short.database.db.execute(
        sql`update sessions set last_verified_at = now() - interval '61 minutes' where id = ${id}`,
      );
      await expectTRPCError((await short.as({ bearer: token })).auth.me(), "UNAUTHORIZED");
    } finally {
      await short.close();
    }
  });
});

describe("auth.sessions", () => {
  it("lists the user's sessions with user agent, address, times and which one is current", async () => {
    const user = await h.createUser();
    const laptop = await h.signIn(user.email, undefined, "203.0.113.10");
    await h.signIn(user.email, undefined, "203.0.113.11");
    const sessions = await (await h.as({ bearer: laptop })).auth.sessions.list();
    expect(sessions).toHaveLength(2);
    const current = sessions.find((session) => session.current);
    expect(current).toMatchObject({ id: parseSessionToken(laptop)?.id, ip: "203.0.113.10", userAgent: "vitest" });
    expect(current?.createdAt).toBeInstanceOf(Date);
    expect(current?.lastVerifiedAt).toBeInstanceOf(Date);
    expect(sessions.filter((session) => session.current)).toHaveLength(1);
    expect(JSON.stringify(sessions)).not.toMatch(/secret/i);
  });

  it("revokes one session, and only the user's own", async () => {
    const user = await h.createUser();
    const here = await h.signIn(user.email);
    const there = await h.signIn(user.email);
    const stranger = await h.signedIn();

    await expectTRPCError(
      (await h.as({ bearer: stranger.token })).auth.sessions.revoke({ id: parseSessionToken(there)?.id ?? "" }),
      "NOT_FOUND",
    );
    const result = await (await h.as({ bearer: here })).auth.sessions.revoke({
      id: parseSessionToken(there)?.id ?? "",
    });
    expect(result).toEqual({ revoked: parseSessionToken(there)?.id, current: false });
    await expectTRPCError((await h.as({ bearer: there })).auth.me(), "UNAUTHORIZED");
    await (await h.as({ bearer: here })).auth.me();
  });

  it("revokes every other session", async () => {
    const user = await h.createUser();
    const here = await h.signIn(user.email);
    const others = [await h.signIn(user.email), await h.signIn(user.email)];
    expect(await (await h.as({ bearer: here })).auth.sessions.revokeOthers()).toEqual({ revoked: 2 });
    for (const token of others) await expectTRPCError((await h.as({ bearer: token })).auth.me(), "UNAUTHORIZED");
    expect(await (await h.as({ bearer: here })).auth.sessions.list()).toHaveLength(1);
  });
});
