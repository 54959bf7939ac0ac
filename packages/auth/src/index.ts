export * from "./common-passwords.ts";
export * from "./enums.ts";
export * from "./origin-check.ts";
export * from "./password.ts";
export * from "./permissions.ts";
export * from "./tokens.ts";
