export * from "./password.ts";
export * from "./permissions.ts";
