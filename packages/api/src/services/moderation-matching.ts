/**
 * "Every matching" bulk actions: hide, restore or delete every article or
 * comment a filter matches, across pages, in the mutation's one transaction.
 */
import { MAX_MATCHING_SELECTION } from "@inkwell/auth";
import { asc, type Executor, schema } from "@inkwell/db";
import { Invalid, NotFound } from "../errors.ts";
import { deleteModeratable, type Moderatable, type ModerationChange, setModerationState } from "./moderation.ts";
import { articleFilterWhere, type ContentFilter, commentFilterWhere } from "./moderation-filters.ts";

/*
 * MAX_MATCHING_SELECTION (10,000) bounds the transaction of one such action
 * (its row locks, the statement's parameters, the webhook events of deleted
 * articles) and how long other writers wait on it; a larger set is refused
 * as a whole, and the operator narrows the filter.
 */

const tables = { article: schema.articles, comment: schema.comments };
const filterWhere = { article: articleFilterWhere, comment: commentFilterWhere };

/**
 * The ids the filter matches, locked until the transaction ends so a
 * concurrent change cannot slip between choosing and acting. Refuses an
 * empty match and one above the bound.
 */
async function lockMatching(db: Executor, kind: Moderatable, filter: ContentFilter): Promise<number[]> {
  const table = tables[kind];
  const rows = await db
    .select({ id: table.id })
    .from(table)
    .where(filterWhere[kind](filter))
    .orderBy(asc(table.id))
    .limit(MAX_MATCHING_SELECTION + 1)
    .for("update");
  if (rows.length === 0) throw new NotFound(kind, `No ${kind}s match this filter.`);
  if (rows.length > MAX_MATCHING_SELECTION) {
    throw new Invalid(
      `This filter matches more than ${MAX_MATCHING_SELECTION.toLocaleString("en")} ${kind}s; ` +
        `an action on every match takes at most ${MAX_MATCHING_SELECTION.toLocaleString("en")}. Narrow the filter.`,
      "filter",
    );
  }
  return rows.map((row) => row.id);
}

export interface MatchingChange {
  /** How many rows the filter matched. */
  matched: number;
  /** How many of them changed (rows already in the state are left as they are). */
  affected: number;
  actionId: string | null;
}

export async function setModerationStateMatching(
  db: Executor,
  kind: Moderatable,
  input: { filter: ContentFilter; state: schema.ModerationState; moderatorId: number; reason?: string | undefined },
): Promise<MatchingChange> {
  const ids = await lockMatching(db, kind, input.filter);
  const change: ModerationChange = await setModerationState(db, kind, { ...input, ids });
  return { matched: ids.length, affected: change.affected.length, actionId: change.actionId };
}

export async function deleteMatching(db: Executor, kind: Moderatable, filter: ContentFilter): Promise<MatchingChange> {
  const ids = await lockMatching(db, kind, filter);
  const deleted = await deleteModeratable(db, kind, ids);
  return { matched: ids.length, affected: deleted.length, actionId: null };
}
