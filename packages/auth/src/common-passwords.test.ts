import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { isCommonPassword } from "./common-passwords.ts";

const loadedModules = () => Object.keys(createRequire(import.meta.url).cache);

describe("isCommonPassword", () => {
  it("loads the list on first use, not on import", () => {
    expect(loadedModules().filter((path) => path.includes("language-common"))).toEqual([]);
    isCommonPassword("anything");
    expect(loadedModules().filter((path) => path.includes("language-common"))).not.toEqual([]);
  });

  it.each([
    "password",
    "12345678",
    "password123",
    "qwertyuiop",
    "123456",
    "iloveyou",
    "sunshine",
    "trustno1",
    "passw0rd",
    "1q2w3e4r",
  ])("finds %j on the breached list", (password) => {
    expect(isCommonPassword(password)).toBe(true);
  });

  it.each(["PASSWORD", "Password123", "QwErTyUiOp", "IloveYou"])("ignores letter case: %j", (password) => {
    expect(isCommonPassword(password)).toBe(true);
  });

  it.each([
    ["a long passphrase", "violet anchor glacier mosaic thunder"],
    ["a random token", randomBytes(24).toString("base64url")],
    ["a passphrase with digits", "correct-horse-battery-staple-9341"],
    ["the empty string", ""],
    ["a listed password with a NUL byte", "password\u0000"],
    ["a listed password with a leading space", " password"],
    ["non-ASCII letters", "pässwörd"],
    ["a million characters", "p".repeat(1_000_000)],
  ])("does not flag %s", (_what, password) => {
    expect(isCommonPassword(password)).toBe(false);
  });
});
