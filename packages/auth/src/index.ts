export * from "./common-passwords.ts";
export * from "./enums.ts";
export * from "./origin-check.ts";
export * from "./password.ts";
export * from "./permissions.ts";
export * from "./secret-box.ts";
export * from "./tokens.ts";
export * from "./totp.ts";
