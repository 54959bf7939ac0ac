import type { Permission, Role, SignInMethod } from "@inkwell/auth";
import type { schema } from "@inkwell/db";

/** Where a user stands with two-factor sign-in; selected with the user (`authUserColumns`). */
export interface TwoFactorFlags {
  /** Two-factor sign-in is on: signing in takes a code after the password. */
  twoFactorEnabled: boolean;
  /** Operators require two-factor sign-in for the user's role. */
  twoFactorRequired: boolean;
  /** The current session was opened with a passkey, which meets the requirement by itself. */
  signedInWithPasskey?: boolean;
}

/** The user as procedures see it: everything but the password hash, with their two-factor standing. */
export type AuthUser = Omit<typeof schema.users.$inferSelect, "passwordHash"> & TwoFactorFlags;

export interface SessionPrincipal {
  kind: "session";
  user: AuthUser;
  permissions: readonly Permission[];
  session: { id: string; createdAt: Date; lastVerifiedAt: Date; expiresAt: Date; method: SignInMethod };
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
