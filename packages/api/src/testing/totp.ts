import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP } from "@oslojs/otp";

/**
 * A TOTP generator for tests, independent of the server's code: RFC 6238
 * codes from @oslojs/otp, as an authenticator app computes them.
 */
export class TestAuthenticator {
  readonly key: Uint8Array;

  /** From the secret as the server hands it out (base32) or the `otpauth://` URI. */
  constructor(secretOrUri: string) {
    const secret = secretOrUri.startsWith("otpauth://")
      ? (new URL(secretOrUri).searchParams.get("secret") ?? "")
      : secretOrUri;
    this.key = decodeBase32IgnorePadding(secret);
  }

  /**
   * The code for the current 30-second step plus `stepsAhead`. The server
   * accepts the current step and one either side; ahead, never behind, so a
   * step ending while the request travels cannot make the code stale.
   */
  code(stepsAhead = 0): string {
    const step = Math.floor(Date.now() / 30_000) + stepsAhead;
    return generateHOTP(this.key, BigInt(step), 6);
  }

  /** A code that is none of the ones the server accepts now. */
  wrongCode(): string {
    const accepted = new Set([-1, 0, 1, 2].map((ahead) => this.code(ahead)));
    for (let n = 0; ; n++) {
      const candidate = String(n).padStart(6, "0");
      if (!accepted.has(candidate)) return candidate;
    }
  }
}
