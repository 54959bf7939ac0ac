import type { Permission } from "@inkwell/auth";
import type { Context } from "../context.ts";
import { Forbidden, Unauthorized } from "../errors.ts";
import type { AuditEventView } from "../services/audit-event-view.ts";

/** The routers whose procedures change credentials and permissions: sessions, keys, passwords, roles, suspensions. */
const CREDENTIAL_ACTIONS = /^(auth|apiKeys|users)\./;
/** Settings that change many users' permissions at once (two-factor sign-in required for a role). */
const EVERYONES_PERMISSIONS = /^settings\./;

/**
 * Whether an event may have changed what a user may do: a credential or
 * permission change made by them (sign out, revoke a session or key, change
 * their password) or to them (suspended, role changed, signed out
 * everywhere, deleted), or a setting that may change everyone's (two-factor
 * sign-in required for a role). Their other actions (writing an article)
 * need no re-check, which keeps a busy operator's many streams cheap.
 */
export function concernsUser(event: AuditEventView, userId: number): boolean {
  if (EVERYONES_PERMISSIONS.test(event.action)) return true;
  if (!CREDENTIAL_ACTIONS.test(event.action)) return false;
  return event.actor?.id === userId || (event.targetType === "user" && event.targetId === String(userId));
}

/**
 * Throws the error that ends a stream when its caller may no longer have
 * it: the credential it opened with no longer resolves to the same user
 * (session ended, key revoked, user suspended) or no longer grants
 * `required`. Anonymous callers have nothing to lose.
 */
export async function assertStillAuthorized(
  ctx: Pick<Context, "principal" | "reauthenticate">,
  required: readonly Permission[],
): Promise<void> {
  if (!ctx.principal) return;
  const current = await ctx.reauthenticate();
  if (!current || current.user.id !== ctx.principal.user.id) {
    throw new Unauthorized("Your session has ended or your key was revoked; this stream has stopped.");
  }
  const missing = required.filter((permission) => !current.permissions.includes(permission));
  if (missing.length > 0) {
    throw new Forbidden(
      `You no longer have the ${missing.map((p) => `"${p}"`).join(" and ")} permission; this stream has stopped.`,
    );
  }
}
