/**
 * Roles and what they may do: one map, read by the server's procedure
 * builders and by the admin console to hide what a user may not do.
 * This file has no dependencies so the browser bundle can import it.
 */
export const roles = ["user", "moderator", "admin"] as const;
export type Role = (typeof roles)[number];

export const permissions = [
  "articles:write",
  "comments:write",
  "profile:write",
  "users:read",
  "users:manage",
  "content:moderate",
  "tags:manage",
  "audit:read",
  "sessions:manage",
  "keys:manage",
  "dashboard:read",
  "outbox:read",
  "jobs:manage",
  "webhooks:manage",
] as const;
export type Permission = (typeof permissions)[number];

const everyone = ["articles:write", "comments:write", "profile:write", "keys:manage"] as const satisfies Permission[];
const moderators = [...everyone, "users:read", "content:moderate", "tags:manage", "dashboard:read"] as const;

export const rolePermissions: Record<Role, readonly Permission[]> = {
  user: everyone,
  moderator: moderators,
  admin: permissions,
};

export const permissionDescriptions: Record<Permission, string> = {
  "articles:write": "Write, edit and delete your own articles; favorite articles",
  "comments:write": "Write and delete your own comments",
  "profile:write": "Edit your profile and follow people",
  "users:read": "See users, their sessions and keys",
  "users:manage": "Change roles, suspend and restore, revoke API keys, reset two-factor sign-in, delete users",
  "content:moderate": "Hide, restore and delete any article or comment",
  "tags:manage": "Rename, merge and delete tags",
  "audit:read": "Read the audit log",
  "sessions:manage": "Revoke other users' sessions",
  "keys:manage": "Create and revoke your own API keys",
  "dashboard:read": "See the operator dashboard",
  "outbox:read": "Read the emails Inkwell sent or kept in its outbox, with their text",
  "jobs:manage": "See the background job queue and its failures, and retry failed jobs",
  "webhooks:manage":
    "Register webhook endpoints (and see their signing secrets once), see their deliveries, replay them",
};

export function permissionsOf(role: Role): readonly Permission[] {
  return rolePermissions[role];
}

/** Roles beyond a plain user's: they may never keep a breached password. */
export function isOperatorRole(role: Role): boolean {
  return role !== "user";
}

/** What decides a user's permissions besides their role. */
export interface PermissionHolder {
  role: Role;
  /** Their password is on the breached list (as last seen at sign-in or when set). */
  passwordIsCommon: boolean;
  /** Two-factor sign-in is on for them. */
  twoFactorEnabled: boolean;
  /** Operators require two-factor sign-in for their role (`settings.requireTwoFactor`). */
  twoFactorRequired: boolean;
  /** The session at hand was opened with a passkey: two factors by itself. */
  signedInWithPasskey?: boolean;
}

/**
 * A user whose role requires two-factor sign-in, who has not turned it on yet
 * and who did not sign in with a passkey (which is two factors by itself).
 */
export function mustEnrolTwoFactor(
  user: Pick<PermissionHolder, "twoFactorEnabled" | "twoFactorRequired" | "signedInWithPasskey">,
): boolean {
  return user.twoFactorRequired && !user.twoFactorEnabled && user.signedInWithPasskey !== true;
}

/**
 * What a user may do now. A user whose role requires two-factor sign-in and
 * who has not turned it on holds no permission until they do (they may still
 * enrol, change their password and sign out); an operator whose password is
 * on the breached list holds only a plain user's permissions until they change it.
 */
export function effectivePermissions(user: PermissionHolder): readonly Permission[] {
  if (mustEnrolTwoFactor(user)) return [];
  return user.passwordIsCommon && isOperatorRole(user.role) ? rolePermissions.user : rolePermissions[user.role];
}

export function isPermission(value: string): value is Permission {
  return (permissions as readonly string[]).includes(value);
}

/** True when every permission in `required` is in `granted`. */
export function hasPermissions(granted: readonly Permission[], required: readonly Permission[]): boolean {
  return required.every((permission) => granted.includes(permission));
}
