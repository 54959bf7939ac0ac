import type { Permission } from "@inkwell/auth/permissions";
import { inkwellErrorDetails } from "@inkwell/client/errors";
import type { QueryClient } from "@tanstack/react-query";
import { notFound, redirect } from "@tanstack/react-router";
import { changePasswordSearch, signInSearch, twoFactorSetupSearch } from "./redirect-search.ts";
import { type RouterOutputs, trpc } from "./trpc.ts";

type Me = RouterOutputs["auth"]["me"];

/** What a refused route hands its not-found boundary: the permission the role lacks (see `requirePermission`). */
export interface ForbiddenPage {
  forbidden: Permission;
}

export function isForbiddenPage(data: unknown): data is ForbiddenPage {
  return typeof data === "object" && data !== null && typeof (data as ForbiddenPage).forbidden === "string";
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

/**
 * `beforeLoad` for pages only some roles may open. A refusal is not an error: it is
 * thrown as the router's not-found signal carrying the permission, so the page shows
 * the forbidden page in its place, inside the app shell (`NotFound` renders it). A
 * thrown Error would be caught by an error boundary, which React reports to the
 * console as a crash with its stack trace.
 */
export function requirePermission(permission: Permission) {
  return ({ context }: { context: { me: { permissions: readonly Permission[] } } }) => {
    if (!context.me.permissions.includes(permission)) {
      throw notFound({ data: { forbidden: permission } satisfies ForbiddenPage });
    }
  };
}
