import { availableParallelism } from "node:os";
import { hash, parseOptions, verify } from "@node-rs/argon2";
import pLimit from "p-limit";

export interface PasswordPolicy {
  /** KiB of memory per hash. OWASP's minimum for argon2id is 19 MiB. */
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export const OWASP_MINIMUM: PasswordPolicy = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/**
 * Tests only: the same argon2id at the least cost, so that the thousands of accounts the test suite
 * creates and signs in do not spend minutes of CPU hashing (README, "How fast the loop is"). The test
 * servers and the router's test harness choose it; a server refuses it when NODE_ENV=production
 * (`meetsOwaspMinimum`), and the tests of the production policy keep OWASP_MINIMUM.
 */
export const TEST_PASSWORD_POLICY: PasswordPolicy = { memoryCost: 1_024, timeCost: 1, parallelism: 1 };

/** True when `policy` costs at least OWASP_MINIMUM in memory and in time. */
export function meetsOwaspMinimum(policy: PasswordPolicy): boolean {
  return policy.memoryCost >= OWASP_MINIMUM.memoryCost && policy.timeCost >= OWASP_MINIMUM.timeCost;
}

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

// `Algorithm` is a const enum in @node-rs/argon2's types, which isolated modules cannot inline.
const ARGON2ID = 2;

/**
 * Hashing runs on libuv's thread pool, off the event loop, but argon2 is CPU-bound: with libuv's 4
 * threads busy on 2 cores the event loop starves (BENCHMARKS.md: /healthz p99 44 ms under sign-in
 * load). At most one hash per core runs at once (p99 12 ms); the rest queue.
 */
const hashingSlots = pLimit(Math.max(1, availableParallelism()));

export function hashPassword(password: string, policy: PasswordPolicy = OWASP_MINIMUM): Promise<string> {
  return hashingSlots(() => hash(password, { algorithm: ARGON2ID, ...policy }));
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await hashingSlots(() => verify(passwordHash, password));
  } catch {
    // A malformed stored hash verifies nothing.
    return false;
  }
}

/** True when the stored hash was made with other parameters than the current policy. */
export function needsRehash(passwordHash: string, policy: PasswordPolicy = OWASP_MINIMUM): boolean {
  try {
    const used = parseOptions(passwordHash);
    return (
      used.algorithm !== ARGON2ID ||
      used.memoryCost !== policy.memoryCost ||
      used.timeCost !== policy.timeCost ||
      used.parallelism !== policy.parallelism
    );
  } catch {
    return true;
  }
}
