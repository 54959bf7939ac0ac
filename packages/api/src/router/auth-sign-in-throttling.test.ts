import { OWASP_MINIMUM } from "@inkwell/auth";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { defaultAuthSettings } from "../auth/settings.ts";
import { TooManyRequests } from "../errors.ts";
import { reserveAttempt } from "../services/throttle.ts";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, DEFAULT_PASSWORD, type Harness } from "../testing/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

async function failSignIn(email: string, ip: string, harness = h) {
  return expectTRPCError((await harness.as({ ip })).auth.signIn({ email, password: "wrong password" }), "UNAUTHORIZED");
}

describe("sign-in throttling", () => {
  it("blocks an account after 5 failures, even for the right password, and says when to retry", async () => {
    const user = await h.createUser();
    for (let attempt = 1; attempt <= 5; attempt++) await failSignIn(user.email, `198.51.100.${attempt}`);

    // A different address: the per-account counter is what blocks.
    const error = await expectTRPCError(
      (await h.as({ ip: "198.51.100.200" })).auth.signIn({ email: user.email, password: DEFAULT_PASSWORD }),
      "TOO_MANY_REQUESTS",
    );
    expect(error.message).toMatch(/Too many failed sign-in attempts\. Try again in \d+ seconds\./);
    expect(error.cause).toBeInstanceOf(TooManyRequests);
    expect((error.cause as TooManyRequests).seconds).toBeGreaterThanOrEqual(1);

    // The counters live in PostgreSQL, where every server process sees them.
    const [row] = await h.database
      .sql`select hits, blocked_until from throttle_counters where key = ${`signin:account:${user.email.toLowerCase()}`}`;
    expect(row?.hits).toBe(5);
    expect(new Date(row?.blocked_until).getTime()).toBeGreaterThan(Date.now());
  });

  it("lets the right password through once the delay has passed; the failures stay counted, so the next wrong one waits again", async () => {
    const user = await h.createUser();
    const key = `signin:account:${user.email.toLowerCase()}`;
    for (let attempt = 1; attempt <= 5; attempt++) await failSignIn(user.email, "198.51.100.50");
    await h.database.sql`update throttle_counters set blocked_until = now() - interval '1 second'`;
    await h.signIn(user.email, DEFAULT_PASSWORD, "198.51.100.51");
    // The success gave its own slot back and lifted the block; the five failures are still there.
    const [afterSuccess] = await h.database.sql`select hits, blocked_until from throttle_counters where key = ${key}`;
    expect(afterSuccess).toEqual({ hits: 5, blocked_until: null });
    // One more wrong password is checked, and blocks the account again, the right password included.
    await failSignIn(user.email, "198.51.100.52");
    await expectTRPCError(
      (await h.as({ ip: "198.51.100.53" })).auth.signIn({ email: user.email, password: DEFAULT_PASSWORD }),
      "TOO_MANY_REQUESTS",
    );
  });

  it("a right password while guesses are in flight gives back its own slot only: the burst gets one more guess, not five", async () => {
    const user = await h.createUser();
    const key = `signin:account:${user.email.toLowerCase()}`;
    const policy = defaultAuthSettings.signInThrottle.perAccount;
    // Four guesses of an attacker's burst, counted and not yet checked (still in flight).
    for (let i = 0; i < 4; i++) expect(await reserveAttempt(h.database.db, key, policy)).toEqual({ allowed: true });
    // The owner signs in meanwhile: the fifth slot, given back on success.
    await h.signIn(user.email, DEFAULT_PASSWORD, "198.51.100.60");
    // The rest of the burst: one more guess is checked, then the account waits (resetting the counter gave five).
    await failSignIn(user.email, "198.51.100.61");
    await expectTRPCError(
      (await h.as({ ip: "198.51.100.62" })).auth.signIn({ email: user.email, password: "another guess" }),
      "TOO_MANY_REQUESTS",
    );
  });

  it("makes each further failure wait longer, up to the lock window", async () => {
    const user = await h.createUser();
    const key = `signin:account:${user.email.toLowerCase()}`;
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 9; attempt++) {
      await failSignIn(user.email, `198.51.100.${100 + attempt}`);
      const [row] = await h.database
        .sql`select extract(epoch from blocked_until - now()) as seconds from throttle_counters where key = ${key}`;
      if (row?.seconds != null) delays.push(Number(row.seconds));
      await h.database.sql`update throttle_counters set blocked_until = null where key = ${key}`;
    }
    expect(delays).toHaveLength(5);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThan(delays[i - 1] as number);
    expect(Math.max(...delays)).toBeLessThanOrEqual(15 * 60);
  });

  it("blocks an address after 20 failures across accounts", async () => {
    const ip = "203.0.113.77";
    for (let attempt = 1; attempt <= 20; attempt++) await failSignIn(`nobody${attempt}@example.com`, ip);
    const fresh = await h.createUser();
    await expectTRPCError(
      (await h.as({ ip })).auth.signIn({ email: fresh.email, password: DEFAULT_PASSWORD }),
      "TOO_MANY_REQUESTS",
    );
    await h.signIn(fresh.email, DEFAULT_PASSWORD, "203.0.113.78");
  });

  it("spends comparable time on an unknown email and on a wrong password", async () => {
    // Production's cost, not the harness's cheap one: what is compared is the time of one verification.
    const production = await createHarness({ passwordPolicy: OWASP_MINIMUM });
    onTestFinished(() => production.close());
    // One account per wrong guess: the same one would be blocked after five.
    const users = await Promise.all(Array.from({ length: 6 }, () => production.createUser()));
    const time = async (email: string, ip: string) => {
      const started = performance.now();
      await failSignIn(email, ip, production);
      return performance.now() - started;
    };
    const wrong: number[] = [];
    const unknown: number[] = [];
    for (const [i, user] of users.entries()) {
      wrong.push(await time(user.email, `192.0.2.${10 + i}`));
      unknown.push(await time(`ghost${i}@example.com`, `192.0.2.${20 + i}`));
    }
    // Both run one argon2id verification; without the dummy hash an unknown email would answer in ~1 ms. The
    // fastest of each is compared: other work on the machine only ever adds time, to either kind at random.
    expect(Math.min(...unknown)).toBeGreaterThan(Math.min(...wrong) * 0.5);
  });
});
