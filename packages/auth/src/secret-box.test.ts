import { describe, expect, it } from "vitest";
import {
  decodeEncryptionKey,
  encodeEncryptionKey,
  generateEncryptionKey,
  openSecret,
  SecretBoxError,
  sealSecret,
} from "./secret-box.ts";

const secret = new TextEncoder().encode("a TOTP key of 20 b!");

describe("sealSecret / openSecret", () => {
  it("round-trips, with a fresh nonce each time, and never holds the plaintext", () => {
    const key = generateEncryptionKey();
    const first = sealSecret(key, secret, "totp:user:1");
    const second = sealSecret(key, secret, "totp:user:1");
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(false);
    expect(Buffer.from(first).includes(Buffer.from(secret))).toBe(false);
    expect(first.byteLength).toBe(1 + 12 + secret.byteLength + 16);
    expect(openSecret(key, first, "totp:user:1")).toEqual(secret);
    expect(openSecret(key, second, "totp:user:1")).toEqual(secret);
  });

  it("refuses another key, another context (another user's row), and any altered byte", () => {
    const key = generateEncryptionKey();
    const sealed = sealSecret(key, secret, "totp:user:1");
    expect(() => openSecret(generateEncryptionKey(), sealed, "totp:user:1")).toThrow(SecretBoxError);
    expect(() => openSecret(key, sealed, "totp:user:2")).toThrow(SecretBoxError);
    for (let index = 0; index < sealed.byteLength; index++) {
      const altered = new Uint8Array(sealed);
      altered[index] = (altered[index] ?? 0) ^ 1;
      expect(() => openSecret(key, altered, "totp:user:1"), `byte ${index}`).toThrow(SecretBoxError);
    }
    expect(() => openSecret(key, sealed.subarray(0, 28), "totp:user:1")).toThrow(SecretBoxError);
    expect(() => sealSecret(new Uint8Array(16), secret, "x")).toThrow(SecretBoxError);
  });
});

describe("decodeEncryptionKey", () => {
  it("takes base64 of exactly 32 bytes, with or without its padding", () => {
    const key = generateEncryptionKey();
    const text = encodeEncryptionKey(key);
    expect(text).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(decodeEncryptionKey(text)).toEqual(key);
    expect(decodeEncryptionKey(` ${text.slice(0, 43)}\n`)).toEqual(key);
  });

  it("refuses anything else", () => {
    const short = Buffer.alloc(31).toString("base64");
    const long = Buffer.alloc(33).toString("base64");
    for (const text of ["", short, long, "x".repeat(44), `${"A".repeat(42)}-_`, "not base64 at all!"]) {
      expect(decodeEncryptionKey(text), text).toBeNull();
    }
  });
});
