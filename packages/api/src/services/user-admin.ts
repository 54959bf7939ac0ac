import { isOperatorRole, type Role, type SortDirection, type UserSortKey } from "@inkwell/auth";
import {
  type AnyColumn,
  and,
  asc,
  desc,
  type Executor,
  eq,
  isNull,
  like,
  or,
  type SQL,
  schema,
  sql,
  type Table,
} from "@inkwell/db";
import type { AuthSettings } from "../auth/settings.ts";
import { Invalid, NotFound, PreconditionFailed } from "../errors.ts";
import { listApiKeys, revokeApiKey } from "./api-keys.ts";
import { twoFactorFlagColumns } from "./auth-user.ts";
import { listIdentities } from "./identities.ts";
import { containsPattern, offsetOf, pageTotal, splitTotal, totalRows } from "./paging.ts";
import { listPasskeys } from "./passkeys.ts";
import { deleteUserSessions, listUserSessions, revokeUserSession } from "./sessions.ts";
import { emitWebhookEvent } from "./webhook-events.ts";

const { users } = schema;

/** What operators see of a user: everything but the password hash, whether the address is verified and two-factor sign-in is on. */
const userAdminColumns = {
  id: users.id,
  username: users.username,
  email: users.email,
  /** The user opened a link sent to `email`; `emailVerifiedAt` says when. */
  emailVerified: sql<boolean>`${users.emailVerifiedAt} is not null`.mapWith(Boolean),
  emailVerifiedAt: users.emailVerifiedAt,
  role: users.role,
  status: users.status,
  suspensionReason: users.suspensionReason,
  suspendedUntil: users.suspendedUntil,
  lastSignInAt: users.lastSignInAt,
  invitedAt: users.invitedAt,
  bio: users.bio,
  image: users.image,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
  twoFactorEnabled: twoFactorFlagColumns.twoFactorEnabled,
};

// Names sort case-insensitively, which the unique indexes on lower(username) and lower(email) serve.
const sortExpressions: Record<UserSortKey, SQL | AnyColumn> = {
  id: users.id,
  username: sql`lower(${users.username})`,
  email: sql`lower(${users.email})`,
  role: users.role,
  status: users.status,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
  // Never signed in sorts as the oldest sign-in: last when newest first, first when looking for idle accounts.
  lastSignInAt: sql`coalesce(${users.lastSignInAt}, '-infinity'::timestamptz)`,
};

export interface UserListQuery {
  search?: string;
  role?: Role;
  status?: schema.UserStatus;
  sort: UserSortKey;
  direction: SortDirection;
  page: number;
  pageSize: number;
}

function userFilter(query: Pick<UserListQuery, "search" | "role" | "status">): SQL | undefined {
  const pattern = query.search === undefined ? undefined : containsPattern(query.search);
  return and(
    pattern === undefined
      ? undefined
      : // The pattern is lower-cased already, so LIKE on lower(…) matches what ILIKE would, with less work per row.
        or(like(sql`lower(${users.username})`, pattern), like(sql`lower(${users.email})`, pattern)),
    query.role === undefined ? undefined : eq(users.role, query.role),
    query.status === undefined ? undefined : eq(users.status, query.status),
  );
}

/** One page of users with the total of matches, in one query (a second only for a page past the end). */
export async function listUsers(db: Executor, query: UserListQuery) {
  const where = userFilter(query);
  const order = query.direction === "asc" ? asc : desc;
  const rows = await db
    .select({ ...userAdminColumns, total_rows: totalRows() })
    .from(users)
    .where(where)
    // id breaks ties so that rows never move between pages.
    .orderBy(order(sortExpressions[query.sort]), order(users.id))
    .limit(query.pageSize)
    .offset(offsetOf(query.page, query.pageSize));
  const page = splitTotal(rows);
  return { users: page.rows, total: await pageTotal(page.total, query.page, () => db.$count(users, where)) };
}

const countOf = (table: Table, condition: SQL) => sql<number>`(select count(*)::int from ${table} where ${condition})`;

// A user deleted since the operator's list was loaded, or an id typed by hand.
const noSuchUser = () => new NotFound("user", "No such user: it may have been deleted.");

/**
 * A user with how much they wrote, favorited and follow, and their two-factor
 * standing, in one query; null when there is no such user.
 */
async function findUserWithCounts(db: Executor, userId: number) {
  const { articles, comments, favorites, follows, userTwoFactor, twoFactorRecoveryCodes: codes } = schema;
  const [row] = await db
    .select({
      user: userAdminColumns,
      twoFactor: {
        // The column's decoder reads the time; NULL (never turned on) stays null.
        enabledAt:
          sql`(select ${userTwoFactor.enabledAt} from ${userTwoFactor} where ${userTwoFactor.userId} = ${users.id})`.mapWith(
            userTwoFactor.enabledAt,
          ) as SQL<Date | null>,
        recoveryCodesLeft: countOf(codes, and(eq(codes.userId, users.id), isNull(codes.usedAt)) as SQL),
        required: twoFactorFlagColumns.twoFactorRequired,
      },
      counts: {
        articles: countOf(articles, eq(articles.authorId, users.id)),
        comments: countOf(comments, eq(comments.authorId, users.id)),
        favorites: countOf(favorites, eq(favorites.userId, users.id)),
        followers: countOf(follows, eq(follows.followingId, users.id)),
        following: countOf(follows, eq(follows.followerId, users.id)),
      },
    })
    .from(users)
    .where(eq(users.id, userId));
  return row ?? null;
}

const RECENT_ACTIVITY_LIMIT = 20;

/** The newest audit events `userId` caused. */
function recentActivityOf(db: Executor, userId: number) {
  const { auditEvents } = schema;
  return db
    .select({
      id: auditEvents.id,
      action: auditEvents.action,
      targetType: auditEvents.targetType,
      targetId: auditEvents.targetId,
      createdAt: auditEvents.createdAt,
      details: auditEvents.details,
    })
    .from(auditEvents)
    .where(eq(auditEvents.actorId, userId))
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
    .limit(RECENT_ACTIVITY_LIMIT);
}

/** A user with their sessions, keys, how much they wrote and follow, and what they did lately; NotFound if none. */
export async function userDetail(db: Executor, settings: AuthSettings, userId: number) {
  const found = await findUserWithCounts(db, userId);
  if (!found) throw noSuchUser();
  const [sessions, apiKeys, recentActivity, identities, passkeys] = await Promise.all([
    listUserSessions(db, settings, userId),
    listApiKeys(db, userId),
    recentActivityOf(db, userId),
    listIdentities(db, userId),
    listPasskeys(db, userId),
  ]);
  const { enabledAt, recoveryCodesLeft, required } = found.twoFactor;
  return {
    user: found.user,
    twoFactor: {
      enabled: enabledAt !== null,
      enabledAt,
      recoveryCodesLeft: enabledAt === null ? 0 : recoveryCodesLeft,
      required,
    },
    sessions,
    apiKeys,
    identities,
    passkeys,
    counts: found.counts,
    recentActivity,
  };
}

/** Ends one session of a user; NotFound when it is not theirs or has ended already. */
export function revokeSessionOfUser(db: Executor, userId: number, sessionId: string): Promise<void> {
  return revokeUserSession(db, userId, sessionId, "This user has no such session: it may have ended already.");
}

/** Revokes one API key of a user and returns it; NotFound when it is not theirs or is revoked already. */
export function revokeApiKeyOfUser(db: Executor, userId: number, keyId: number) {
  return revokeApiKey(db, userId, keyId, "This user has no such active key: it may have been revoked already.");
}

/** Signs a user out everywhere (their API keys keep working); returns how many sessions ended. */
export async function revokeUserSessions(db: Executor, userId: number): Promise<number> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.id, userId));
  if (!row) throw noSuchUser();
  return deleteUserSessions(db, userId);
}

/**
 * Deletes a user; the database cascades to their sessions, keys, articles
 * (with every comment on them), comments, favorites and follows. Returns what
 * they had written; NotFound when there is no such user.
 */
export function deleteUserWithContent(db: Executor, userId: number) {
  const { articles, comments } = schema;
  return db.transaction(async (tx) => {
    // Locking the row first makes new articles and comments by them wait, so the counts match what is deleted.
    const [user] = await tx.select({ username: users.username }).from(users).where(eq(users.id, userId)).for("update");
    if (!user) throw noSuchUser();
    const [content] = await tx.execute<{ articles: number; comments: number }>(
      sql`select ${countOf(articles, eq(articles.authorId, userId))} as articles,
                 ${countOf(comments, eq(comments.authorId, userId))} as comments`,
    );
    await tx.delete(users).where(eq(users.id, userId));
    return { userId, username: user.username, articles: content?.articles ?? 0, comments: content?.comments ?? 0 };
  });
}

/** What the role and status changes return. */
const userSummary = { id: users.id, username: users.username, role: users.role, status: users.status };

const NO_SUCH_USER = "No such user.";

/**
 * Gives a user a role. Operator roles are refused (PreconditionFailed) to a
 * user whose password is on the breached list until they change it.
 */
export async function setUserRole(db: Executor, userId: number, role: Role) {
  if (isOperatorRole(role)) {
    const [target] = await db
      .select({ username: users.username, passwordIsCommon: users.passwordIsCommon })
      .from(users)
      .where(eq(users.id, userId));
    if (target?.passwordIsCommon) {
      throw new PreconditionFailed(
        `${target.username}'s password is on a list of breached passwords: they must change it before they can be ${role === "admin" ? "an admin" : "a moderator"}.`,
        "role",
      );
    }
  }
  const [user] = await db.update(users).set({ role }).where(eq(users.id, userId)).returning(userSummary);
  if (!user) throw new NotFound("user", NO_SUCH_USER);
  return user;
}

export interface Suspension {
  /** Why, for other operators (never shown to the user). */
  reason?: string | undefined;
  /** When the account restores itself; none: until an operator restores it. Must be in the future. */
  until?: Date | undefined;
}

/**
 * Suspends a user and ends their sessions, with a `user.suspended` event, in
 * one transaction; returns them with how many sessions ended. Suspending a
 * suspended user again replaces the reason and end date.
 */
export async function suspendUser(db: Executor, userId: number, suspension: Suspension = {}) {
  if (suspension.until && suspension.until.getTime() <= Date.now()) {
    throw new Invalid("The end date has passed: choose a time in the future, or none.", "until");
  }
  return db.transaction(async (tx) => {
    const [user] = await tx
      .update(users)
      .set({
        status: "suspended",
        suspensionReason: suspension.reason ?? null,
        suspendedUntil: suspension.until ?? null,
      })
      .where(eq(users.id, userId))
      .returning({ ...userSummary, suspensionReason: users.suspensionReason, suspendedUntil: users.suspendedUntil });
    if (!user) throw new NotFound("user", NO_SUCH_USER);
    // Sessions are refused for suspended users anyway; ending them makes it visible.
    const endedSessions = await deleteUserSessions(tx, userId);
    await emitWebhookEvent(tx, "user.suspended", { user: { id: user.id, username: user.username } });
    return { ...user, endedSessions };
  });
}

/** Lets a suspended user sign in again. */
export async function restoreUser(db: Executor, userId: number) {
  const [user] = await db
    .update(users)
    .set({ status: "active", suspensionReason: null, suspendedUntil: null })
    .where(eq(users.id, userId))
    .returning(userSummary);
  if (!user) throw new NotFound("user", NO_SUCH_USER);
  return user;
}
