import type { Executor } from "@inkwell/db";
import type { AuthSettings } from "../auth/settings.ts";
import { TooManyRequests } from "../errors.ts";
import type { ClientInfo } from "./accounts.ts";
import { releaseAttempt, reserveAttempts } from "./throttle.ts";

/**
 * Second-factor guesses (TOTP codes, recovery codes, the password that turns
 * two-factor sign-in off) are throttled like passwords, on counters of their
 * own: per account (`2fa:account:<user id>`) and per address (`2fa:ip:<ip>`),
 * with the sign-in policies. A right password does not reset them, so
 * knowing the password buys no extra guesses at the code.
 */
function codeThrottleKeys(settings: AuthSettings, userId: number, ip: string | null) {
  const { perAccount, perIp } = settings.signInThrottle;
  return {
    account: { key: `2fa:account:${userId}`, policy: perAccount },
    ip: ip ? { key: `2fa:ip:${ip}`, policy: perIp } : null,
  };
}

/**
 * Counts one guess before it is checked, in the statement that checks the
 * limit (so a batch of guesses cannot all pass); TooManyRequests when the
 * account or the address must wait. `attempts` commits on its own.
 */
export async function reserveCodeAttempt(
  attempts: Executor,
  settings: AuthSettings,
  userId: number,
  client: ClientInfo,
): Promise<void> {
  const keys = codeThrottleKeys(settings, userId, client.ip);
  const reservation = await reserveAttempts(attempts, keys.ip ? [keys.ip, keys.account] : [keys.account]);
  if (!reservation.allowed) {
    const seconds = Math.ceil(reservation.retryAfterMs / 1000);
    throw new TooManyRequests(`Too many wrong codes. Try again in ${seconds} seconds.`, reservation.retryAfterMs);
  }
}

/**
 * A right code gives its slots back (account and address); the wrong codes stay counted until the window ends,
 * so a burst still in flight gets no fresh set of free guesses (see `verifyCredentials`).
 */
export async function codeAccepted(
  attempts: Executor,
  settings: AuthSettings,
  userId: number,
  client: ClientInfo,
): Promise<void> {
  const keys = codeThrottleKeys(settings, userId, client.ip);
  await releaseAttempt(attempts, keys.account.key);
  if (keys.ip) await releaseAttempt(attempts, keys.ip.key);
}
