import { parseSessionToken } from "@inkwell/auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, type Harness } from "../testing/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

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
