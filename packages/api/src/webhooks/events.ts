import { type WebhookEventType, webhookEventTypes } from "@inkwell/auth/enums";
import { z } from "zod";

export { type WebhookEventType, webhookEventTypes };

/**
 * What each webhook event carries, as the receiver parses it from JSON (times
 * are ISO 8601 strings). One schema per event type: adding a type to
 * `webhookEventTypes` without one here does not compile. The body of every
 * delivery is `{ type, timestamp, data }` (the Standard Webhooks convention);
 * `@inkwell/client/webhooks` exports the `WebhookEvent` union for receivers.
 */
const id = z.number().int().positive();
const isoTime = z.iso.datetime({ offset: true });
const person = z.object({ id, username: z.string() });
const articleRef = z.object({ id, slug: z.string(), title: z.string() });
const article = articleRef.extend({
  description: z.string(),
  tagList: z.array(z.string()),
  author: person,
  createdAt: isoTime,
  updatedAt: isoTime,
});

export const webhookEventSchemas = {
  /** A new article (articles are published when they are created). */
  "article.published": z.object({ article }),
  /** Its author changed its title, description, body or tags. */
  "article.updated": z.object({ article }),
  /** Deleted by its author or by a moderator; its comments went with it. */
  "article.deleted": z.object({ article: articleRef, deletedBy: z.enum(["author", "moderator"]) }),
  "comment.created": z.object({
    comment: z.object({ id, body: z.string(), author: person, createdAt: isoTime }),
    article: articleRef,
  }),
  /** A new account (sign-up); the email is included for the operator's own systems. */
  "user.created": z.object({ user: person.extend({ email: z.string(), createdAt: isoTime }) }),
  /** An operator suspended the account; its sessions ended. */
  "user.suspended": z.object({ user: person }),
} as const satisfies Record<WebhookEventType, z.ZodType>;

export type WebhookEventData<T extends WebhookEventType> = z.output<(typeof webhookEventSchemas)[T]>;

/** The body of one delivery, typed by its `type`. */
export type WebhookEvent = {
  [T in WebhookEventType]: { type: T; timestamp: string; data: WebhookEventData<T> };
}[WebhookEventType];
