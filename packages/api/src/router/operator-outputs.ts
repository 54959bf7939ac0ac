import { emailStatuses, moderationStates, roles, userStatuses } from "@inkwell/auth";
import { z } from "zod";
import { apiKeyOutput, tagOutput } from "./outputs.ts";

/** What the operators' procedures answer (see outputs.ts for why these are schemas). */

const time = z.date();
const count = z.int().min(0);
const id = z.int().positive();

/** What operators see of a user: everything but secrets. */
const adminUserOutput = z
  .object({
    id,
    username: z.string(),
    email: z.string(),
    role: z.enum(roles),
    status: z.enum(userStatuses),
    suspensionReason: z.string().nullable().meta({ description: "Why an operator suspended them, if they said" }),
    suspendedUntil: time
      .nullable()
      .meta({ description: "When the suspension ends by itself; null: until an operator restores them" }),
    lastSignInAt: time.nullable().meta({ description: "When a session was last created for them; null if never" }),
    invitedAt: time
      .nullable()
      .meta({ description: "When an operator created them by invitation; null for accounts made with a password" }),
    bio: z.string().nullable(),
    image: z.string().nullable(),
    createdAt: time,
    updatedAt: time,
    twoFactorEnabled: z.boolean(),
    emailVerified: z.boolean(),
    emailVerifiedAt: time.nullable(),
  })
  .meta({ id: "AdminUser" });

export const userPageOutput = z
  .object({ users: z.array(adminUserOutput), total: count, page: id, pageSize: id })
  .meta({ id: "UserPage" });

export const userDetailOutput = z
  .object({
    user: adminUserOutput,
    twoFactor: z.object({
      enabled: z.boolean(),
      enabledAt: time.nullable(),
      recoveryCodesLeft: count,
      required: z.boolean().meta({ description: "Their role requires two-factor sign-in" }),
    }),
    sessions: z.array(
      z.object({
        id: z.string(),
        createdAt: time,
        lastVerifiedAt: time,
        ip: z.string().nullable(),
        userAgent: z.string().nullable(),
        expiresAt: time,
      }),
    ),
    apiKeys: z.array(apiKeyOutput),
    identities: z
      .array(
        z.object({
          id,
          provider: z.string().meta({ description: "The configured provider's id, e.g. `github`" }),
          email: z.string().nullable(),
          emailVerified: z.boolean(),
          displayName: z.string().nullable(),
          createdAt: time,
          lastUsedAt: time.nullable(),
        }),
      )
      .meta({ description: "Accounts at identity providers (OIDC, GitHub) linked to the user" }),
    passkeys: z.array(
      z.object({
        id,
        name: z.string(),
        multiDevice: z.boolean(),
        backedUp: z.boolean(),
        createdAt: time,
        lastUsedAt: time.nullable(),
      }),
    ),
    counts: z.object({ articles: count, comments: count, favorites: count, followers: count, following: count }),
    recentActivity: z
      .array(
        z.object({
          id,
          action: z.string(),
          targetType: z.string().nullable(),
          targetId: z.string().nullable(),
          createdAt: time,
          details: z.record(z.string(), z.unknown()),
        }),
      )
      .meta({ description: "Their newest audit events, newest first (at most 20)" }),
  })
  .meta({ id: "UserDetail" });

/** What the role and status changes answer. */
export const userSummaryOutput = z
  .object({ id, username: z.string(), role: z.enum(roles), status: z.enum(userStatuses) })
  .meta({ id: "UserSummary" });

export const suspendedUserOutput = userSummaryOutput
  .extend({ endedSessions: count, suspensionReason: z.string().nullable(), suspendedUntil: time.nullable() })
  .meta({ id: "SuspendedUser" });

export const deletedUserOutput = z
  .object({
    deleted: z.object({
      userId: id,
      username: z.string(),
      articles: count.meta({ description: "Articles deleted with them" }),
      comments: count.meta({ description: "Comments deleted with them" }),
    }),
  })
  .meta({ id: "DeletedUser" });

export const twoFactorResetOutput = z
  .object({ userId: id, username: z.string(), endedSessions: count })
  .meta({ id: "TwoFactorReset" });

const authorRef = z.object({ id, username: z.string() });

/** Who hid (or last restored) a row and why; what the moderation tables show on hidden rows. */
const moderationFields = {
  moderation: z.enum(moderationStates),
  moderatedAt: time.nullable().meta({ description: "When it was last hidden or restored" }),
  moderatedBy: authorRef
    .nullable()
    .meta({ description: "Who last hid or restored it; null if nobody or their account is gone" }),
  moderationReason: z
    .string()
    .nullable()
    .meta({ description: "Why it was hidden, when the moderator said; null once restored" }),
};

export const moderatedArticlePageOutput = z
  .object({
    articles: z.array(
      z.object({
        id,
        slug: z.string(),
        title: z.string(),
        description: z.string(),
        author: authorRef,
        ...moderationFields,
        createdAt: time,
        updatedAt: time,
        commentsCount: count.meta({ description: "Hidden ones included" }),
        favoritesCount: count,
      }),
    ),
    total: count,
  })
  .meta({ id: "ModeratedArticlePage" });

export const moderatedCommentPageOutput = z
  .object({
    comments: z.array(
      z.object({
        id,
        body: z.string(),
        article: z.object({ id, slug: z.string(), title: z.string() }),
        author: authorRef,
        ...moderationFields,
        createdAt: time,
      }),
    ),
    total: count,
  })
  .meta({ id: "ModeratedCommentPage" });

export const moderationResultOutput = z
  .object({ affected: z.array(id).meta({ description: "The ids changed; ids that do not exist are left out" }) })
  .meta({ id: "ModerationResult" });

export const moderationHideOutput = moderationResultOutput
  .extend({
    actionId: z
      .uuid()
      .nullable()
      .meta({ description: "Pass it to `undoHide` to show exactly these again; null when nothing changed" }),
  })
  .meta({ id: "ModerationHide" });

export const matchingResultOutput = z
  .object({
    matched: count.meta({ description: "How many rows the filter matched" }),
    affected: count.meta({ description: "How many of them changed; rows already in the state stay as they are" }),
    actionId: z
      .uuid()
      .nullable()
      .meta({ description: "For a hide: pass it to `undoHide`; null otherwise or when nothing changed" }),
  })
  .meta({ id: "ModerationMatching" });

export const auditPageOutput = z
  .object({
    events: z.array(
      z
        .object({
          id,
          action: z.string().meta({ description: "The procedure, e.g. `users.suspend`" }),
          actor: z
            .object({
              id,
              username: z.string().nullable(),
              deleted: z.boolean().meta({ description: "Their account is gone since; the event keeps their name" }),
            })
            .nullable(),
          actorApiKeyId: id.nullable(),
          targetType: z.string().nullable(),
          targetId: z.string().nullable(),
          ip: z.string().nullable(),
          userAgent: z.string().nullable(),
          requestId: z.string().nullable(),
          details: z.record(z.string(), z.unknown()),
          createdAt: time,
        })
        .meta({ id: "AuditEvent" }),
    ),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: "Pass it as `cursor` for the next page; null on the last page" }),
  })
  .meta({ id: "AuditPage" });

export const tagMergeOutput = z
  .object({ target: tagOutput, merged: count, articlesRetagged: count })
  .meta({ id: "TagMerge" });

export const tagDeleteOutput = z.object({ deleted: tagOutput, articlesUntagged: count }).meta({ id: "TagDelete" });

export const requiredTwoFactorOutput = z
  .object({ roles: z.array(z.enum(roles)).meta({ description: "Roles whose members must use two-factor sign-in" }) })
  .meta({ id: "RequiredTwoFactor" });

export const requiredTwoFactorSettingOutput = requiredTwoFactorOutput
  .extend({
    available: z.boolean().meta({ description: "The server has an encryption key, so two-factor sign-in can be used" }),
  })
  .meta({ id: "RequiredTwoFactorSetting" });

export const systemStatusOutput = z
  .object({
    version: z.string(),
    database: z.discriminatedUnion("reachable", [
      z.object({
        reachable: z.literal(true),
        latencyMs: z.number().min(0),
        migrations: z.object({
          expected: count,
          applied: count,
          pending: count,
          jobQueueInstalled: z.boolean().meta({ description: "The job queue's own schema exists" }),
        }),
      }),
      z.object({ reachable: z.literal(false), error: z.string() }),
    ]),
  })
  .meta({ id: "SystemStatus" });

const calendarDay = z.iso.date();

export const dashboardOutput = z
  .object({
    range: z
      .object({
        from: calendarDay.meta({ description: "First day counted (included)" }),
        to: calendarDay.meta({ description: "Last day counted (included)" }),
        timeZone: z.string().meta({ description: "IANA time zone the days are counted in" }),
      })
      .meta({ description: "The days counted: each from midnight (included) to the next midnight (excluded)" }),
    totals: z.object({
      users: count,
      articles: count,
      comments: count,
      activeSessions: count,
      blockedNow: count.meta({ description: "Throttle counters (addresses, accounts) blocked right now" }),
    }),
    days: z
      .array(
        z.object({
          date: calendarDay.meta({ description: "A day in the range's time zone" }),
          signUps: count,
          articles: count,
          comments: count,
          signIns: count.meta({ description: "Sessions opened by signing in" }),
          failedSignIns: count.meta({ description: "Sign-ins refused (wrong credentials, suspended), not throttled" }),
          throttled: count.meta({ description: "Calls of any procedure refused as too many (429)" }),
          hidden: count.meta({ description: "Moderation hide actions (one per call, however many items)" }),
          restored: count.meta({ description: "Moderation restore actions" }),
          deleted: count.meta({ description: "Moderation delete actions" }),
        }),
      )
      .meta({ description: "Every day of the range, oldest first, days without events as zeros" }),
    tags: z
      .array(z.object({ name: z.string(), articles: count }))
      .meta({ description: "The 10 tags on most articles created in the range, most used first" }),
  })
  .meta({ id: "DashboardSummary" });

export const revokedSessionsOutput = z
  .object({ revoked: count.meta({ description: "How many sessions ended" }) })
  .meta({ id: "RevokedSessions" });

export const revokedSessionOutput = z
  .object({ revoked: z.string().meta({ description: "The id of the session that ended" }) })
  .meta({ id: "RevokedSession" });

export const jobQueueSummaryOutput = z
  .object({
    tasks: z.array(
      z.object({
        name: z.string().meta({ description: "The task, e.g. `email.send`; every task Inkwell defines is listed" }),
        ready: count.meta({ description: "Due now, waiting for a free worker" }),
        scheduled: count.meta({ description: "Due later: delayed jobs and retries waiting out their backoff" }),
        running: count,
        failed: count.meta({ description: "Every attempt failed; stays until retried" }),
      }),
    ),
    workers: z
      .array(z.object({ poolId: z.string(), process: z.string(), startedAt: time, seenAt: time }))
      .meta({ description: "The worker pools alive now, by their heartbeats" }),
  })
  .meta({ id: "JobQueueSummary" });

export const jobFailurePageOutput = z
  .object({
    failures: z.array(
      z
        .object({
          id,
          name: z.string(),
          attempts: count,
          maxAttempts: count,
          lastError: z.string().meta({ description: "The last attempt's error (its first 2,000 characters)" }),
          key: z.string().nullable(),
          state: z.enum(["failed", "retrying", "running"]),
          runAt: time,
          createdAt: time,
          updatedAt: time,
        })
        .meta({ id: "JobFailure" }),
    ),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: "Pass it as `cursor` for the next page; null on the last page" }),
  })
  .meta({ id: "JobFailurePage" });

export const retriedJobOutput = z.object({ id, name: z.string() }).meta({ id: "RetriedJob" });

const outboxMessageFields = {
  id,
  recipient: z.string(),
  subject: z.string(),
  template: z.string().meta({ description: "Which template rendered it, e.g. `comment-notification`" }),
  status: z.enum(emailStatuses),
  attempts: count,
  lastError: z.string().nullable(),
  createdAt: time,
  deliveredAt: time.nullable().meta({ description: "When the SMTP server accepted it, or when it was kept" }),
};

export const outboxPageOutput = z
  .object({
    messages: z.array(z.object(outboxMessageFields).meta({ id: "OutboxMessageSummary" })),
    total: count,
    page: id,
    pageSize: id,
  })
  .meta({ id: "OutboxPage" });

export const outboxMessageOutput = z
  .object({ ...outboxMessageFields, textBody: z.string(), updatedAt: time })
  .meta({ id: "OutboxMessage" });
