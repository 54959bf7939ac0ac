import { encodeBase32NoPadding } from "@oslojs/encoding";
import { createTOTPKeyURI, verifyHOTP } from "@oslojs/otp";

/**
 * Time-based one-time codes (RFC 6238) as authenticator apps make them:
 * SHA-1, 30-second steps, 6 digits. A code is accepted for the current step
 * and one step either side (clocks drift, people type slowly); the caller
 * remembers the step a code was used for, so it cannot be used twice.
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** 160 bits, the key size RFC 4226 recommends for HMAC-SHA-1. */
const TOTP_KEY_BYTES = 20;
/** Steps accepted either side of the current one. */
const TOTP_DRIFT_STEPS = 1;

export function generateTotpKey(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(TOTP_KEY_BYTES));
}

/** The time step `at` falls in. */
export function totpStep(at: Date = new Date()): number {
  return Math.floor(at.getTime() / (TOTP_PERIOD_SECONDS * 1000));
}

/** The key as people type it into an authenticator app: base32, upper case, no padding. */
export function encodeTotpSecret(key: Uint8Array): string {
  return encodeBase32NoPadding(key);
}

/** The `otpauth://` URI an authenticator app reads from the QR code. */
export function totpKeyUri(issuer: string, accountName: string, key: Uint8Array): string {
  return createTOTPKeyURI(issuer, accountName, key, TOTP_PERIOD_SECONDS, TOTP_DIGITS);
}

/** Six digits, as people type them (spaces and dashes between groups are allowed and dropped). */
export function normalizeTotpCode(code: string): string {
  return code.replace(/[\s-]/g, "");
}

/**
 * The step whose code `code` is, among the current step and its neighbours,
 * or null when it is none of them. Every candidate is checked (in constant
 * time each), so the answer's timing does not say which step matched.
 */
export function matchTotpStep(key: Uint8Array, code: string, at: Date = new Date()): number | null {
  const digits = normalizeTotpCode(code);
  if (!/^\d+$/.test(digits)) return null;
  const now = totpStep(at);
  let matched: number | null = null;
  for (let step = Math.max(0, now - TOTP_DRIFT_STEPS); step <= now + TOTP_DRIFT_STEPS; step++) {
    if (verifyHOTP(key, BigInt(step), TOTP_DIGITS, digits) && matched === null) matched = step;
  }
  return matched;
}
