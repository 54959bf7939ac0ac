import type { Executor } from "@inkwell/db";
import type { AuthSettings } from "../auth/settings.ts";
import { TooManyRequests } from "../errors.ts";
import { reserveAttempts } from "./throttle.ts";

/**
 * Emails a person can ask for are counted before anything else happens, per
 * subject (`reset:account:<address asked for>`, `verify:account:<user id>`)
 * and per client address (`reset:ip:<ip>`), with `accountEmailThrottle`.
 * Every request counts, sent or not: asking again and again floods nobody's
 * inbox. `attempts` commits on its own, so a refused request stays counted.
 */
export async function reserveAccountEmail(
  attempts: Executor,
  settings: Pick<AuthSettings, "accountEmailThrottle">,
  prefix: "reset" | "verify",
  subject: string,
  ip: string | null,
): Promise<void> {
  const { perAccount, perIp } = settings.accountEmailThrottle;
  const account = { key: `${prefix}:account:${subject}`, policy: perAccount };
  const keys = ip ? [{ key: `${prefix}:ip:${ip}`, policy: perIp }, account] : [account];
  const reservation = await reserveAttempts(attempts, keys);
  if (!reservation.allowed) {
    const seconds = Math.ceil(reservation.retryAfterMs / 1000);
    throw new TooManyRequests(
      `Too many emails asked for. Try again in ${seconds} seconds, and check your spam folder meanwhile.`,
      reservation.retryAfterMs,
    );
  }
}
