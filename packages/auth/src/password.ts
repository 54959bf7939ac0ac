import { hash, parseOptions, verify } from "@node-rs/argon2";

export interface PasswordPolicy {
  /** KiB of memory per hash. OWASP's minimum for argon2id is 19 MiB. */
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export const OWASP_MINIMUM: PasswordPolicy = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

// `Algorithm` is a const enum in @node-rs/argon2's types, which isolated modules cannot inline.
const ARGON2ID = 2;

/** Hashes on libuv's thread pool, so the event loop keeps serving while it runs. */
export function hashPassword(password: string, policy: PasswordPolicy = OWASP_MINIMUM): Promise<string> {
  return hash(password, { algorithm: ARGON2ID, ...policy });
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
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
