import { OWASP_MINIMUM, type PasswordPolicy } from "@inkwell/auth";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface ThrottlePolicy {
  /** Failures in a window before delays start: the last of them starts the first delay. */
  freeFailures: number;
  /** Delay after the first failure past the free ones; doubles with each further failure. */
  baseDelayMs: number;
  /** The longest delay: a lock window. */
  maxDelayMs: number;
  /** A window with no failure for this long starts counting from zero. */
  windowMs: number;
}

export interface AuthSettings {
  /** A session unused for this long ends. */
  sessionIdleTimeoutMs: number;
  /** A session ends this long after it began, used or not. */
  sessionMaxAgeMs: number;
  /** `lastVerifiedAt` is written at most this often, so most reads do not write. */
  sessionRefreshIntervalMs: number;
  /** `auto`: Secure when the request arrived over HTTPS. */
  cookieSecure: "auto" | boolean;
  /** Origins besides the server's own allowed to make cookie-authenticated changes. */
  trustedOrigins: readonly string[];
  passwordPolicy: PasswordPolicy;
  /**
   * Refuse passwords on the breached list for everyone, not only operators.
   * Off by default: RealWorld clients and their test suites register with
   * passwords such as `password123`.
   */
  rejectBreachedPasswords: boolean;
  /** An open live stream re-checks its caller this often, besides whenever an event concerns them. */
  streamRecheckIntervalMs: number;
  signInThrottle: { perAccount: ThrottlePolicy; perIp: ThrottlePolicy };
  /**
   * Emails a person can ask for (password reset, another verification link):
   * every request counts, per address asked for or per account, and per client address.
   */
  accountEmailThrottle: { perAccount: ThrottlePolicy; perIp: ThrottlePolicy };
  /**
   * Unverified accounts may not publish articles or comment
   * (`REQUIRE_VERIFIED_EMAIL`). Off by default: RealWorld clients have no
   * verification step.
   */
  requireVerifiedEmail: boolean;
}

export const defaultAuthSettings: AuthSettings = {
  sessionIdleTimeoutMs: 10 * DAY,
  sessionMaxAgeMs: 30 * DAY,
  sessionRefreshIntervalMs: HOUR,
  cookieSecure: "auto",
  trustedOrigins: [],
  passwordPolicy: OWASP_MINIMUM,
  rejectBreachedPasswords: false,
  streamRecheckIntervalMs: MINUTE,
  signInThrottle: {
    perAccount: { freeFailures: 5, baseDelayMs: 2_000, maxDelayMs: 15 * MINUTE, windowMs: 15 * MINUTE },
    // Many people can share one address (offices, NAT), so an address gets more room.
    perIp: { freeFailures: 20, baseDelayMs: 2_000, maxDelayMs: 15 * MINUTE, windowMs: 15 * MINUTE },
  },
  accountEmailThrottle: {
    // The third email within an hour is sent, and then the next waits a minute, then two, … up to an hour.
    perAccount: { freeFailures: 3, baseDelayMs: MINUTE, maxDelayMs: HOUR, windowMs: HOUR },
    perIp: { freeFailures: 20, baseDelayMs: MINUTE, maxDelayMs: HOUR, windowMs: HOUR },
  },
  requireVerifiedEmail: false,
};

export const days = (count: number) => count * DAY;
