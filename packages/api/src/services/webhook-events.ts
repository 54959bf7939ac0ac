import { randomBytes } from "node:crypto";
import { and, type Executor, eq, schema, sql } from "@inkwell/db";
import { type WebhookEventData, type WebhookEventType, webhookEventSchemas } from "../webhooks/events.ts";
import { runPrepared } from "./prepared.ts";

const e = schema.webhookEndpoints;
const d = schema.webhookDeliveries;

/** A Standard Webhooks message id: `msg_` and 128 random bits. Receivers de-duplicate by it. */
export const newWebhookId = () => `msg_${randomBytes(16).toString("base64url")}`;

/** The job key of a delivery's retry or replay: at most one waiting `webhooks.deliver` job per delivery. */
export const deliveryJobKey = (deliveryId: number) => `webhooks.deliver:${deliveryId}`;

/**
 * Records `type` for every enabled endpoint subscribed to it, and announces
 * their deliveries, in `db`'s transaction (the change's: `ctx.db` in a
 * mutation). A change that rolls back delivers nothing; one that commits is
 * delivered at least once. With no endpoint subscribed it costs one indexed read.
 */
export async function emitWebhookEvent<T extends WebhookEventType>(
  db: Executor,
  type: T,
  /** The data, or how to read it: only read when some endpoint receives it. */
  data: WebhookEventData<T> | (() => Promise<WebhookEventData<T>>),
): Promise<number[]> {
  const endpoints = await runPrepared(
    db
      .select({ id: e.id })
      .from(e)
      .where(and(eq(e.enabled, true), sql`${e.events} @> array[${type}]::text[]`)),
    "subscribed_webhook_endpoints",
  );
  if (endpoints.length === 0) return [];
  // A payload that does not match its schema is a bug here, not the receiver's problem.
  const payload = {
    type,
    timestamp: new Date().toISOString(),
    data: webhookEventSchemas[type].parse(typeof data === "function" ? await data() : data),
  };
  // The rows are the outbox; the NOTIFY (sent when the transaction commits, never if it rolls back) asks the
  // processes running jobs for a dispatch of each endpoint (jobs/webhook-dispatches.ts).
  const deliveries = await db.execute<{ id: string }>(sql`
    with delivery as (
      insert into ${d} (endpoint_id, webhook_id, event_type, payload)
      select endpoint_id, webhook_id, ${type}, ${JSON.stringify(payload)}::text::jsonb
      from unnest(${sql.param(endpoints.map((endpoint) => endpoint.id))}::int[],
                  ${sql.param(endpoints.map(() => newWebhookId()))}::text[]) as e(endpoint_id, webhook_id)
      returning id, endpoint_id
    )
    select id::text, pg_notify(${schema.WEBHOOK_DELIVERIES_CHANNEL}, endpoint_id::text) from delivery`);
  return deliveries.map((delivery) => Number(delivery.id));
}

const a = schema.articles;
const u = schema.users;

/** An article as `article.published` and `article.updated` carry it, read in the caller's transaction. */
export async function articleEventData(db: Executor, articleId: number): Promise<WebhookEventData<"article.updated">> {
  const [row] = await db
    .select({
      id: a.id,
      slug: a.slug,
      title: a.title,
      description: a.description,
      createdAt: a.createdAt,
      updatedAt: a.updatedAt,
      authorId: u.id,
      authorUsername: u.username,
      tagList: sql<string[]>`array(
        select ${schema.tags.name} from ${schema.articleTags}
        join ${schema.tags} on ${schema.tags.id} = ${schema.articleTags.tagId}
        where ${schema.articleTags.articleId} = ${a.id} order by ${schema.tags.name})`,
    })
    .from(a)
    .innerJoin(u, eq(u.id, a.authorId))
    .where(eq(a.id, articleId));
  if (!row) throw new Error(`article ${articleId} is not there to describe`);
  return {
    article: {
      id: row.id,
      slug: row.slug,
      title: row.title,
      description: row.description,
      tagList: row.tagList,
      author: { id: row.authorId, username: row.authorUsername },
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    },
  };
}

/** Emits `article.published` or `article.updated` for an article, in `db`'s transaction. */
export async function emitArticleEvent(
  db: Executor,
  type: "article.published" | "article.updated",
  articleId: number,
): Promise<void> {
  await emitWebhookEvent(db, type, () => articleEventData(db, articleId));
}

/** `comment.created`, in `db`'s transaction. */
export async function emitCommentCreated(
  db: Executor,
  comment: { id: number; body: string; createdAt: Date },
  author: { id: number; username: string },
  article: { id: number; slug: string; title: string },
): Promise<void> {
  await emitWebhookEvent(db, "comment.created", {
    comment: { id: comment.id, body: comment.body, author, createdAt: comment.createdAt.toISOString() },
    article: { id: article.id, slug: article.slug, title: article.title },
  });
}
