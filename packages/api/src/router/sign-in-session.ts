import { isOperatorRole, mustEnrolTwoFactor, type SignInMethod } from "@inkwell/auth";
import type { AuthUser } from "../auth/principal.ts";
import type { Context } from "../context.ts";
import { createSession, deleteSession } from "../services/sessions.ts";

/** What a user may see about themselves. */
export function accountView(user: AuthUser) {
  return {
    id: user.id,
    email: user.email,
    /** The user opened a link sent to `email` (see `auth.verifyEmail`). */
    emailVerified: user.emailVerifiedAt !== null,
    username: user.username,
    bio: user.bio,
    image: user.image,
    role: user.role,
    status: user.status,
    /** Emails about comments on their articles (turned off with `updateProfile({ notifyOnComment: false })`). */
    notifyOnComment: user.notifyOnComment,
    /** An operator whose password is on the breached list: they act as a plain user until they change it. */
    passwordChangeRequired: user.passwordIsCommon && isOperatorRole(user.role),
    /** Signing in takes a code after the password. */
    twoFactorEnabled: user.twoFactorEnabled,
    /** Their role requires two-factor sign-in and it is off: they hold no permission until they turn it on. */
    twoFactorEnrolmentRequired: mustEnrolTwoFactor(user),
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}

/**
 * Opens a session for a user who proved who they are, handed over as the
 * client asked: a cookie, or the token in the answer. A browser's previous
 * session ends: signing in always starts a new one.
 */
export async function openSession(
  ctx: Pick<Context, "db" | "principal" | "authSettings" | "meta" | "cookies">,
  user: AuthUser,
  transport: "cookie" | "token",
  method: SignInMethod = "password",
) {
  if (ctx.principal?.kind === "session" && ctx.principal.viaCookie) {
    await deleteSession(ctx.db, ctx.principal.session.id);
  }
  const session = await createSession(ctx.db, ctx.authSettings, user.id, ctx.meta, method);
  if (transport === "cookie") ctx.cookies.setSession(session.token, session.expiresAt);
  return {
    twoFactorRequired: false as const,
    user: accountView(user),
    expiresAt: session.expiresAt,
    token: transport === "token" ? session.token : undefined,
  };
}
