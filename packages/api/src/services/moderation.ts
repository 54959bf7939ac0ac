import { and, type Executor, inArray, ne, schema, sql } from "@inkwell/db";
import { NotFound } from "../errors.ts";
import { emitWebhookEvent } from "./webhook-events.ts";

/** Articles and comments carry the same moderation columns, so one set of bulk actions serves both. */
const moderatable = { article: schema.articles, comment: schema.comments };

export type Moderatable = keyof typeof moderatable;

const ascending = (a: number, b: number) => a - b;

function noneExist(kind: Moderatable) {
  return new NotFound(kind, `None of the selected ${kind}s exist.`);
}

/**
 * Hides or restores the selected articles or comments in one UPDATE; returns
 * the ids that changed, sorted. Rows already in `state` keep who moderated
 * them and when. Throws NotFound when none of the ids exist.
 */
export async function setModerationState(
  db: Executor,
  kind: Moderatable,
  input: { ids: number[]; state: schema.ModerationState; moderatorId: number },
): Promise<number[]> {
  const table = moderatable[kind];
  const changed = await db
    .update(table)
    .set({
      moderation: input.state,
      moderatedAt: sql`now()`,
      moderatedById: input.moderatorId,
      // Moderation is not an edit: readers keep seeing when the author last changed it.
      updatedAt: sql`${table.updatedAt}`,
    })
    .where(and(inArray(table.id, input.ids), ne(table.moderation, input.state)))
    .returning({ id: table.id });
  if (changed.length > 0) return changed.map((row) => row.id).sort(ascending);

  // Nothing changed: the selection was already in `state`, or it no longer exists.
  const [existing] = await db.select({ id: table.id }).from(table).where(inArray(table.id, input.ids)).limit(1);
  if (!existing) throw noneExist(kind);
  return [];
}

/**
 * Deletes the selected rows in one statement (their dependents cascade), with
 * an `article.deleted` event per article; returns the deleted ids, sorted.
 */
export async function deleteModeratable(db: Executor, kind: Moderatable, ids: number[]) {
  if (kind === "article") {
    const a = schema.articles;
    const deleted = await db.delete(a).where(inArray(a.id, ids)).returning({ id: a.id, slug: a.slug, title: a.title });
    if (deleted.length === 0) throw noneExist(kind);
    for (const article of deleted) await emitWebhookEvent(db, "article.deleted", { article, deletedBy: "moderator" });
    return deleted.map((row) => row.id).sort(ascending);
  }
  const table = moderatable[kind];
  const deleted = await db.delete(table).where(inArray(table.id, ids)).returning({ id: table.id });
  if (deleted.length === 0) throw noneExist(kind);
  return deleted.map((row) => row.id).sort(ascending);
}
