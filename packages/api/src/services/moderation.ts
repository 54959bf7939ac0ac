import { randomUUID } from "node:crypto";
import { and, type Executor, eq, inArray, ne, schema, sql } from "@inkwell/db";
import { Forbidden, NotFound } from "../errors.ts";
import { emitWebhookEvent } from "./webhook-events.ts";

/** Articles and comments carry the same moderation columns, so one set of bulk actions serves both. */
const moderatable = { article: schema.articles, comment: schema.comments };

export type Moderatable = keyof typeof moderatable;

const ascending = (a: number, b: number) => a - b;

function noneExist(kind: Moderatable) {
  return new NotFound(kind, `None of the selected ${kind}s exist.`);
}

export interface ModerationChange {
  /** The ids that changed, sorted. */
  affected: number[];
  /** The hide action that hid them, for its undo; null for a restore or when nothing changed. */
  actionId: string | null;
}

/**
 * Hides or restores the selected articles or comments in one UPDATE. Rows
 * already in `state` keep who moderated them, when, why and by which action,
 * so a hide's undo brings back only what that hide changed. A hide records
 * its reason and a new action id on the rows; a restore clears both. Throws
 * NotFound when none of the ids exist.
 */
export async function setModerationState(
  db: Executor,
  kind: Moderatable,
  input: { ids: number[]; state: schema.ModerationState; moderatorId: number; reason?: string | undefined },
): Promise<ModerationChange> {
  const table = moderatable[kind];
  const hiding = input.state === "hidden";
  const actionId = hiding ? randomUUID() : null;
  const changed = await db
    .update(table)
    .set({
      moderation: input.state,
      moderatedAt: sql`now()`,
      moderatedById: input.moderatorId,
      moderationReason: hiding ? (input.reason ?? null) : null,
      moderationActionId: actionId,
      // Moderation is not an edit: readers keep seeing when the author last changed it.
      updatedAt: sql`${table.updatedAt}`,
    })
    .where(and(inArray(table.id, input.ids), ne(table.moderation, input.state)))
    .returning({ id: table.id });
  if (changed.length > 0) return { affected: changed.map((row) => row.id).sort(ascending), actionId };

  // Nothing changed: the selection was already in `state`, or it no longer exists.
  const [existing] = await db.select({ id: table.id }).from(table).where(inArray(table.id, input.ids)).limit(1);
  if (!existing) throw noneExist(kind);
  return { affected: [], actionId: null };
}

/**
 * Undoes a hide: shows again exactly the rows that action hid and that are
 * still hidden by it (a row restored or hidden again since belongs to another
 * action and stays as it is). Only the moderator who hid them may undo it.
 * Two undos of one action at once restore the rows once: the second UPDATE
 * waits for the first's row locks, then finds no row carrying the action.
 */
export async function undoHide(
  db: Executor,
  kind: Moderatable,
  input: { actionId: string; moderatorId: number },
): Promise<number[]> {
  const table = moderatable[kind];
  const restored = await db
    .update(table)
    .set({
      moderation: "visible",
      moderatedAt: sql`now()`,
      moderatedById: input.moderatorId,
      moderationReason: null,
      moderationActionId: null,
      updatedAt: sql`${table.updatedAt}`,
    })
    .where(
      and(
        eq(table.moderationActionId, input.actionId),
        eq(table.moderatedById, input.moderatorId),
        eq(table.moderation, "hidden"),
      ),
    )
    .returning({ id: table.id });
  if (restored.length > 0) return restored.map((row) => row.id).sort(ascending);

  const [othersAction] = await db
    .select({ id: table.id })
    .from(table)
    .where(eq(table.moderationActionId, input.actionId))
    .limit(1);
  if (othersAction) throw new Forbidden("Only the moderator who hid these can undo it; restore them instead.");
  throw new NotFound(kind, `Nothing to undo: those ${kind}s were shown again, hidden again or deleted since.`);
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
