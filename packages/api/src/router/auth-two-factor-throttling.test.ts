import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TooManyRequests } from "../errors.ts";
import { WRONG_CODE } from "../services/two-factor.ts";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, DEFAULT_PASSWORD, type Harness } from "../testing/harness.ts";
import { enrolTwoFactor, passwordStep, signInWithCode } from "../testing/two-factor.ts";

/** The default policies: 5 free guesses per account, 20 per address, then doubling delays. */
let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

async function enrolledUser() {
  const { user, token } = await h.signedIn();
  return { user, token, ...(await enrolTwoFactor(h, token)) };
}

const counter = async (key: string) =>
  (
    await h.database.sql<{ hits: number; blocked_until: string | null }[]>`
    select hits, blocked_until from throttle_counters where key = ${key}`
  )[0];

describe("throttling second-factor codes", () => {
  it("blocks an account's codes after 5 wrong ones, even the right code, on a counter the password does not reset", async () => {
    const { user, app } = await enrolledUser();
    for (let attempt = 1; attempt <= 5; attempt++) {
      // A fresh challenge each time, from a different address: the account's counter is what blocks.
      const challenge = await passwordStep(h, user.email, { ip: `198.51.100.${attempt}` });
      const error = await expectTRPCError(
        (await h.as({ ip: `198.51.100.${attempt}` })).auth.signIn2fa({ challenge, code: app.wrongCode() }),
        "BAD_REQUEST",
      );
      expect(error.message).toBe(WRONG_CODE);
    }
    // The right password still gives a challenge (it has its own counter), but no code is checked now.
    const challenge = await passwordStep(h, user.email, { ip: "198.51.100.99" });
    const blocked = await expectTRPCError(
      (await h.as({ ip: "198.51.100.99" })).auth.signIn2fa({ challenge, code: app.code(1) }),
      "TOO_MANY_REQUESTS",
    );
    expect(blocked.message).toMatch(/^Too many wrong codes\. Try again in \d+ seconds\.$/);
    expect((blocked.cause as TooManyRequests).seconds).toBeGreaterThanOrEqual(1);
    expect(await counter(`2fa:account:${user.id}`)).toMatchObject({ hits: 5 });
    // The refused right code was not spent: once the delay is over (moved, not waited for), it works.
    await h.database.sql`update throttle_counters set blocked_until = now() - interval '1 second'
                         where key = ${`2fa:account:${user.id}`}`;
    const { token } = await (await h.as({ ip: "198.51.100.99" })).auth.signIn2fa({
      challenge,
      code: app.code(1),
      session: "token",
    });
    expect(token).toBeTruthy();
    // The right code gave its own slot back and lifted the block; the wrong codes stay counted until the window
    // ends (forgetting them would give a burst in flight a fresh set of guesses).
    expect(await counter(`2fa:account:${user.id}`)).toMatchObject({ hits: 5, blocked_until: null });
  });

  it("checks at most 5 codes of a tRPC-like batch of 20 arriving at once; the rest wait", async () => {
    const { user, app } = await enrolledUser();
    const challenges = await Promise.all(
      Array.from({ length: 4 }, (_, i) => passwordStep(h, user.email, { ip: `203.0.113.${i + 1}` })),
    );
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, async (_, i) =>
        (await h.as({ ip: `203.0.113.${(i % 4) + 1}` })).auth.signIn2fa({
          challenge: challenges[i % 4] ?? "",
          code: app.wrongCode(),
        }),
      ),
    );
    const codes = results.map((result) => (result as PromiseRejectedResult).reason?.code);
    expect(codes.filter((code) => code === "BAD_REQUEST")).toHaveLength(5);
    expect(codes.filter((code) => code === "TOO_MANY_REQUESTS")).toHaveLength(15);
    expect((await counter(`2fa:account:${user.id}`))?.hits).toBe(5);
  });

  it("blocks an address after 20 wrong codes across accounts", async () => {
    const ip = "192.0.2.200";
    const users = await Promise.all(Array.from({ length: 5 }, () => enrolledUser()));
    for (const { user, app } of users.slice(0, 4)) {
      for (let attempt = 1; attempt <= 5; attempt++) {
        const challenge = await passwordStep(h, user.email, { ip });
        await expectTRPCError((await h.as({ ip })).auth.signIn2fa({ challenge, code: app.wrongCode() }), "BAD_REQUEST");
      }
    }
    const fresh = users[4];
    if (!fresh) throw new Error("no user");
    const challenge = await passwordStep(h, fresh.user.email, { ip });
    await expectTRPCError(
      (await h.as({ ip })).auth.signIn2fa({ challenge, code: fresh.app.code(1) }),
      "TOO_MANY_REQUESTS",
    );
    // From elsewhere, that account is not held back.
    await signInWithCode(h, fresh.user.email, fresh.app.code(1), "192.0.2.201");
  });

  it("counts guesses at the password that turns it off on the same counter", async () => {
    const { user, token } = await enrolledUser();
    const caller = await h.as({ bearer: token, ip: "198.51.100.150" });
    for (let attempt = 1; attempt <= 5; attempt++) {
      await expectTRPCError(caller.auth.twoFactor.disable({ password: `guess ${attempt}` }), "BAD_REQUEST");
    }
    await expectTRPCError(caller.auth.twoFactor.disable({ password: DEFAULT_PASSWORD }), "TOO_MANY_REQUESTS");
    const [row] = await h.database.sql`select enabled_at from user_two_factor where user_id = ${user.id}`;
    expect(row?.enabled_at).not.toBeNull();
  });
});
