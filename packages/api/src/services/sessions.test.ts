import { parseSessionToken } from "@inkwell/auth";
import { eq, schema, sql } from "@inkwell/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, type Harness } from "../testing/harness.ts";

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
