import { sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";

/** Base32 text from `bytes` bytes of the CSPRNG: 5 bits per character. */
function randomString(bytes: number): string {
  return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(bytes)));
}

export function hashSecret(secret: string): Uint8Array {
  return sha256(new TextEncoder().encode(secret));
}

/** Compares a presented secret with a stored hash in constant time. */
export function secretMatches(secret: string, storedHash: Uint8Array): boolean {
  const presented = hashSecret(secret);
  return presented.length === storedHash.length && constantTimeEqual(presented, storedHash);
}

// ---------------------------------------------------------------------------
// Session tokens: `<id>.<secret>` (Lucia's current design).

const SESSION_ID_BYTES = 15; // 120 bits, 24 characters
const SESSION_SECRET_BYTES = 20; // 160 bits, 32 characters

export interface NewSessionToken {
  id: string;
  secretHash: Uint8Array;
  /** Handed to the client once; never stored. */
  token: string;
}

export function generateSessionToken(): NewSessionToken {
  const id = randomString(SESSION_ID_BYTES);
  const secret = randomString(SESSION_SECRET_BYTES);
  return { id, secretHash: hashSecret(secret), token: `${id}.${secret}` };
}

const base32Part = (length: number) => `[a-z2-7]{${length}}`;
const sessionTokenPattern = new RegExp(`^(${base32Part(24)})\\.(${base32Part(32)})$`);

export function parseSessionToken(token: string): { id: string; secret: string } | null {
  const match = sessionTokenPattern.exec(token);
  return match ? { id: match[1] as string, secret: match[2] as string } : null;
}

// ---------------------------------------------------------------------------
// API keys: `ink_<id>_<secret>`; `ink_<id>` is the public prefix shown in lists.

export const API_KEY_PREFIX = "ink_";
const API_KEY_ID_BYTES = 10; // 16 characters
const API_KEY_SECRET_BYTES = 20; // 32 characters

export interface NewApiKey {
  prefix: string;
  secretHash: Uint8Array;
  /** Shown to its owner once; never stored. */
  key: string;
}

export function generateApiKey(): NewApiKey {
  const prefix = `${API_KEY_PREFIX}${randomString(API_KEY_ID_BYTES)}`;
  const secret = randomString(API_KEY_SECRET_BYTES);
  return { prefix, secretHash: hashSecret(secret), key: `${prefix}_${secret}` };
}

const apiKeyPattern = new RegExp(`^(${API_KEY_PREFIX}${base32Part(16)})_(${base32Part(32)})$`);

export function isApiKey(credential: string): boolean {
  return credential.startsWith(API_KEY_PREFIX);
}

export function parseApiKey(key: string): { prefix: string; secret: string } | null {
  const match = apiKeyPattern.exec(key);
  return match ? { prefix: match[1] as string, secret: match[2] as string } : null;
}

// ---------------------------------------------------------------------------
// Two-factor sign-in challenges: `<id>.<secret>` like a session token, but
// stored in their own table for minutes; they open no session by themselves.

export function generateChallengeToken(): NewSessionToken {
  return generateSessionToken();
}

export function parseChallengeToken(token: string): { id: string; secret: string } | null {
  return parseSessionToken(token);
}

// ---------------------------------------------------------------------------
// Recovery codes: 80 bits each, shown once as `xxxx-xxxx-xxxx-xxxx`; only their SHA-256 is stored.

export const RECOVERY_CODE_COUNT = 10;
const RECOVERY_CODE_BYTES = 10; // 80 bits, 16 base32 characters

export interface NewRecoveryCode {
  /** Shown to the user once; never stored. */
  code: string;
  codeHash: Uint8Array;
}

/** What a recovery code is compared as: lower case, without the dashes and spaces people type. */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, "");
}

export function generateRecoveryCodes(count = RECOVERY_CODE_COUNT): NewRecoveryCode[] {
  return Array.from({ length: count }, () => {
    const plain = randomString(RECOVERY_CODE_BYTES);
    return { code: plain.match(/.{4}/g)?.join("-") ?? plain, codeHash: hashSecret(plain) };
  });
}

// ---------------------------------------------------------------------------
// Account tokens (email verification, email change, password reset): 160 bits
// in the link of an email, 32 base32 characters; only their SHA-256 is stored.

const ACCOUNT_TOKEN_BYTES = 20;
const accountTokenPattern = new RegExp(`^${base32Part(32)}$`);

export function generateAccountToken(): { token: string; tokenHash: Uint8Array } {
  const token = randomString(ACCOUNT_TOKEN_BYTES);
  return { token, tokenHash: hashSecret(token) };
}

/** The stored hash of a presented account token, or null when it cannot be one (so no lookup is made). */
export function accountTokenHash(token: string): Uint8Array | null {
  return accountTokenPattern.test(token) ? hashSecret(token) : null;
}
