import type { Permission } from "@inkwell/auth/permissions";
import { inkwellErrorDetails } from "@inkwell/client/errors";
import type { QueryClient } from "@tanstack/react-query";
import { redirect } from "@tanstack/react-router";
import { changePasswordSearch, signInSearch, twoFactorSetupSearch } from "./redirect-search.ts";
import { type RouterOutputs, trpc } from "./trpc.ts";

type Me = RouterOutputs["auth"]["me"];

/** Thrown by a route's `beforeLoad` when the signed-in user lacks a permission. */
export class ForbiddenError extends Error {
  constructor(readonly permission: Permission) {
    super(`This page needs the "${permission}" permission, which your role does not have.`);
    this.name = "ForbiddenError";
  }
}

/** The signed-in user (from the cache once loaded); without a session, a redirect to sign in and back to `href`. */
export async function requireSession(queryClient: QueryClient, href: string): Promise<Me> {
  try {
    return await queryClient.ensureQueryData(trpc.auth.me.queryOptions());
  } catch (error) {
    if (inkwellErrorDetails(error).code === "UNAUTHORIZED")
      throw redirect({ to: "/sign-in", search: signInSearch(href) });
    throw error;
  }
}

/**
 * An operator whose password is on a breached-password list holds a plain
 * user's permissions until they change it: every console page sends them to
 * change it first, and back to `href` afterwards.
 */
export function requireUsablePassword(me: Me, href: string): void {
  if (me.user.passwordChangeRequired) throw redirect({ to: "/change-password", search: changePasswordSearch(href) });
}

/**
 * A user whose role requires two-factor sign-in holds no permission until
 * they turn it on: every console page sends them to set it up first, and
 * back to `href` afterwards.
 */
export function requireTwoFactorEnrolment(me: Me, href: string): void {
  if (me.user.twoFactorEnrolmentRequired) {
    throw redirect({ to: "/two-factor-setup", search: twoFactorSetupSearch(href) });
  }
}

/** `beforeLoad` for pages only some roles may open. */
export function requirePermission(permission: Permission) {
  return ({ context }: { context: { me: { permissions: readonly Permission[] } } }) => {
    if (!context.me.permissions.includes(permission)) throw new ForbiddenError(permission);
  };
}
