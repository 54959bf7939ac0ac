import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Secrets the server must read back (TOTP keys) are stored encrypted with
 * AES-256-GCM under a key from configuration (`ENCRYPTION_KEY`), never in
 * plain text. Each secret gets a random 96-bit nonce; the sealed value is
 * `version (1 byte) | nonce (12) | ciphertext | tag (16)`. `context` (e.g.
 * "totp:user:42") is authenticated but not stored: a sealed value copied to
 * another user's row does not open.
 */

export const ENCRYPTION_KEY_BYTES = 32;
const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBoxError extends Error {
  override name = "SecretBoxError";
}

function checkKey(key: Uint8Array): void {
  if (key.byteLength !== ENCRYPTION_KEY_BYTES) {
    throw new SecretBoxError(`The encryption key must be ${ENCRYPTION_KEY_BYTES} bytes.`);
  }
}

export function sealSecret(key: Uint8Array, plaintext: Uint8Array, context: string): Uint8Array {
  checkKey(key);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return new Uint8Array(Buffer.concat([Buffer.of(VERSION), nonce, ciphertext, cipher.getAuthTag()]));
}

/** The plaintext of a sealed secret; SecretBoxError when the key, context or bytes are not the ones it was sealed with. */
export function openSecret(key: Uint8Array, sealed: Uint8Array, context: string): Uint8Array {
  checkKey(key);
  if (sealed.byteLength < 1 + NONCE_BYTES + TAG_BYTES || sealed[0] !== VERSION) {
    throw new SecretBoxError("Not a sealed secret of a known version.");
  }
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const nonce = bytes.subarray(1, 1 + NONCE_BYTES);
  const tag = bytes.subarray(bytes.byteLength - TAG_BYTES);
  const ciphertext = bytes.subarray(1 + NONCE_BYTES, bytes.byteLength - TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(tag);
  try {
    return new Uint8Array(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
  } catch {
    throw new SecretBoxError("The secret does not open with this key: it was sealed with another one, or altered.");
  }
}

/** Standard base64 of 32 bytes, as `openssl rand -base64 32` prints it (the padding may be left out). */
const BASE64_KEY = /^[A-Za-z0-9+/]{43}=?$/;

/** A 32-byte key from its base64 text (as `ENCRYPTION_KEY` holds it), or null when it is not one. */
export function decodeEncryptionKey(text: string): Uint8Array | null {
  const trimmed = text.trim();
  return BASE64_KEY.test(trimmed) ? new Uint8Array(Buffer.from(trimmed, "base64")) : null;
}

export function encodeEncryptionKey(key: Uint8Array): string {
  return Buffer.from(key).toString("base64");
}

export function generateEncryptionKey(): Uint8Array {
  return new Uint8Array(randomBytes(ENCRYPTION_KEY_BYTES));
}
