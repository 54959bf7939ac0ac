import { describe, expect, it } from "vitest";
import { matchTotpStep, totpKeyUri, totpStep } from "./totp.ts";

// RFC 6238, appendix B: the SHA-1 seed, and the 8-digit codes whose last 6 digits a 6-digit app shows.
const rfcKey = new TextEncoder().encode("12345678901234567890");
const rfcVectors = [
  { seconds: 59, code: "287082" }, // 94287082
  { seconds: 1_111_111_109, code: "081804" }, // 07081804
  { seconds: 1_234_567_890, code: "005924" }, // 89005924
  { seconds: 2_000_000_000, code: "279037" }, // 69279037
];

describe("matchTotpStep", () => {
  it.each(rfcVectors)("accepts RFC 6238's code at $seconds s for its step", ({ seconds, code }) => {
    const at = new Date(seconds * 1000);
    expect(matchTotpStep(rfcKey, code, at)).toBe(totpStep(at));
  });

  it("accepts one step either side, and names the step matched; not two", () => {
    const at = new Date(59_000); // step 1
    expect(matchTotpStep(rfcKey, "287082", new Date(30_000 * 2 + 1))).toBe(1); // one step later
    expect(matchTotpStep(rfcKey, "287082", new Date(0))).toBe(1); // one step earlier
    expect(matchTotpStep(rfcKey, "287082", new Date(30_000 * 3))).toBeNull(); // two steps later
    expect(totpStep(at)).toBe(1);
  });

  it("takes the spaces and dashes people type, and refuses anything else", () => {
    const at = new Date(59_000);
    expect(matchTotpStep(rfcKey, "287 082", at)).toBe(1);
    expect(matchTotpStep(rfcKey, "287-082", at)).toBe(1);
    expect(matchTotpStep(rfcKey, "287082 ", at)).toBe(1);
    for (const wrong of ["287083", "28708", "2870820", "", "abcdef", "２８７０８２", "94287082"]) {
      expect(matchTotpStep(rfcKey, wrong, at), wrong).toBeNull();
    }
  });
});

describe("totpKeyUri", () => {
  it("writes what authenticator apps read: issuer, account, base32 secret, SHA-1, 30 s, 6 digits", () => {
    const uri = new URL(totpKeyUri("Inkwell", "ada@example.com", rfcKey));
    expect(uri.protocol).toBe("otpauth:");
    expect(decodeURIComponent(uri.pathname)).toBe("/Inkwell:ada@example.com");
    expect(uri.searchParams.get("secret")).toBe("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    expect(uri.searchParams.get("period")).toBe("30");
    expect(uri.searchParams.get("digits")).toBe("6");
  });
});
