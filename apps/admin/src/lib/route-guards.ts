import type { Permission } from "@inkwell/auth/permissions";

/** Thrown by a route's `beforeLoad` when the signed-in user lacks a permission. */
export class ForbiddenError extends Error {
  constructor(readonly permission: Permission) {
    super(`This page needs the "${permission}" permission, which your role does not have.`);
    this.name = "ForbiddenError";
  }
}

/** `beforeLoad` for pages only some roles may open. */
export function requirePermission(permission: Permission) {
  return ({ context }: { context: { me: { permissions: readonly Permission[] } } }) => {
    if (!context.me.permissions.includes(permission)) throw new ForbiddenError(permission);
  };
}
