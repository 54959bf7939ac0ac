import type { SearchSchemaInput } from "@tanstack/react-router";

export interface SignInSearch {
  /** Where to go after signing in. */
  redirect?: string;
}

export function validateSignInSearch(input: SignInSearch & SearchSchemaInput): SignInSearch {
  const { redirect } = input as unknown as Record<string, unknown>;
  return typeof redirect === "string" && redirect.startsWith("/") && !redirect.startsWith("//") ? { redirect } : {};
}
