import type { Permission } from "@inkwell/auth";
import { Forbidden } from "../errors.ts";
import { permissionProcedure } from "../trpc.ts";

export const UNVERIFIED_EMAIL =
  "Verify your email address before publishing: open the link we emailed you, or ask for a new one (auth.resendVerification; in the admin console, on your account page).";

/**
 * `permissionProcedure` for what others get to read (new articles, edits,
 * comments): with `REQUIRE_VERIFIED_EMAIL` on, an account whose address is
 * unverified is refused (FORBIDDEN) until it verifies it.
 */
export function publishingProcedure(permission: Permission) {
  return permissionProcedure(permission).use(({ ctx, next }) => {
    if (ctx.authSettings.requireVerifiedEmail && ctx.user.emailVerifiedAt === null) {
      throw new Forbidden(UNVERIFIED_EMAIL);
    }
    return next();
  });
}
