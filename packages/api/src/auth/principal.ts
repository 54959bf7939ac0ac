import type { Permission, Role } from "@inkwell/auth";
import type { schema } from "@inkwell/db";

/** The user as procedures see it: everything but the password hash. */
export type AuthUser = Omit<typeof schema.users.$inferSelect, "passwordHash">;

export interface SessionPrincipal {
  kind: "session";
  user: AuthUser;
  permissions: readonly Permission[];
  session: { id: string; createdAt: Date; lastVerifiedAt: Date; expiresAt: Date };
  /** True when the token came in the cookie (so CSRF checks apply), false for a bearer token. */
  viaCookie: boolean;
}

export interface ApiKeyPrincipal {
  kind: "apiKey";
  user: AuthUser;
  /** The key's scopes that its owner's role still grants. */
  permissions: readonly Permission[];
  apiKey: { id: number; name: string; prefix: string };
}

export type Principal = SessionPrincipal | ApiKeyPrincipal;

export type { Permission, Role };
