/**
 * The closed sets of values that the database stores, the API accepts and the
 * admin console offers: one list each, so a value added here reaches the
 * database enum, the input schemas and the console's filters together.
 * Like permissions.ts, this file has no dependencies so the browser bundle can import it.
 */

export const userStatuses = ["active", "suspended"] as const;
export type UserStatus = (typeof userStatuses)[number];

/** Moderation state shared by articles and comments: hidden content stays for operators only. */
export const moderationStates = ["visible", "hidden"] as const;
export type ModerationState = (typeof moderationStates)[number];

export const sortDirections = ["asc", "desc"] as const;
export type SortDirection = (typeof sortDirections)[number];

/** Columns operators may sort the users table by. */
export const userSortKeys = [
  "id",
  "username",
  "email",
  "role",
  "status",
  "createdAt",
  "updatedAt",
  "lastSignInAt",
] as const;
export type UserSortKey = (typeof userSortKeys)[number];

/** Columns operators may sort the articles moderation table by. */
export const articleSortKeys = ["createdAt", "title", "favoritesCount", "commentsCount"] as const;
export type ArticleSortKey = (typeof articleSortKeys)[number];

/**
 * How a session was opened: with a password (and a code, if two-factor sign-in is on), with a passkey,
 * or through an identity provider (OpenID Connect, GitHub). A passkey is two factors in itself.
 */
export const signInMethods = ["password", "passkey", "identity"] as const;
export type SignInMethod = (typeof signInMethods)[number];

/**
 * Where an email stands: `pending` until the send job has run, `sent` once the
 * SMTP server took it, `kept` in the outbox when no SMTP server is configured,
 * `failed` after its last attempt.
 */
export const emailStatuses = ["pending", "sent", "kept", "failed"] as const;
export type EmailStatus = (typeof emailStatuses)[number];

/**
 * What a webhook endpoint can subscribe to: one list for the database, the
 * procedures' inputs and the console's checkboxes. Each event's payload is
 * typed in `packages/api/src/webhooks/events.ts`.
 */
export const webhookEventTypes = [
  "article.published",
  "article.updated",
  "article.deleted",
  "comment.created",
  "user.created",
  "user.suspended",
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/** Where a webhook delivery stands: `pending` until an attempt succeeds (`succeeded`) or the last one fails (`dead`). */
export const webhookDeliveryStatuses = ["pending", "succeeded", "dead"] as const;
export type WebhookDeliveryStatus = (typeof webhookDeliveryStatuses)[number];

/**
 * The most articles or comments one "every matching" moderation action may
 * change (the server refuses more as a whole; the console says so before asking).
 */
export const MAX_MATCHING_SELECTION = 10_000;

/** The longest reason a moderator may give for hiding something. */
export const MAX_MODERATION_REASON_LENGTH = 500;
