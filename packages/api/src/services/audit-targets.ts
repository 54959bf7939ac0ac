import { type Executor, inArray, schema, sql } from "@inkwell/db";

const { users, articles, comments, apiKeys, webhookEndpoints, tags } = schema;

/** A target named in the audit log, as it is now; `exists: false` once it is gone. */
export interface AuditTargetState {
  type: string;
  id: string;
  exists: boolean;
  /** What people call it: a username, an article's title, the start of a comment, a key's name, a URL, a tag. */
  label: string | null;
  /** The record it belongs to: a comment's article, an API key's owner. */
  parentId: number | null;
}

/** The kinds of target whose records can be looked up (the others, e.g. sessions or settings, are shown as they are). */
export const resolvableTargetTypes = ["user", "article", "comment", "apiKey", "webhookEndpoint", "tag"] as const;
type ResolvableType = (typeof resolvableTargetTypes)[number];

const COMMENT_EXCERPT = 80;

type Found = { id: number; label: string; parentId: number | null };

/** One query per kind of target, for the ids given; ids that are not database ids simply match nothing. */
const lookups: Record<ResolvableType, (db: Executor, ids: number[]) => Promise<Found[]>> = {
  user: (db, ids) =>
    db
      .select({ id: users.id, label: users.username, parentId: sql<null>`null` })
      .from(users)
      .where(inArray(users.id, ids)),
  article: (db, ids) =>
    db
      .select({ id: articles.id, label: articles.title, parentId: sql<null>`null` })
      .from(articles)
      .where(inArray(articles.id, ids)),
  comment: (db, ids) =>
    db
      .select({
        id: comments.id,
        label: sql<string>`left(${comments.body}, ${COMMENT_EXCERPT})`,
        parentId: comments.articleId,
      })
      .from(comments)
      .where(inArray(comments.id, ids)),
  apiKey: (db, ids) =>
    db
      .select({ id: apiKeys.id, label: apiKeys.name, parentId: apiKeys.userId })
      .from(apiKeys)
      .where(inArray(apiKeys.id, ids)),
  webhookEndpoint: (db, ids) =>
    db
      .select({ id: webhookEndpoints.id, label: webhookEndpoints.url, parentId: sql<null>`null` })
      .from(webhookEndpoints)
      .where(inArray(webhookEndpoints.id, ids)),
  tag: (db, ids) =>
    db.select({ id: tags.id, label: tags.name, parentId: sql<null>`null` }).from(tags).where(inArray(tags.id, ids)),
};

const isResolvable = (type: string): type is ResolvableType =>
  (resolvableTargetTypes as readonly string[]).includes(type);

/** A target id as stored: a positive 32-bit integer written plainly, or not a database id at all. */
function databaseId(id: string): number | null {
  if (!/^[1-9][0-9]{0,9}$/.test(id)) return null;
  const value = Number(id);
  return value <= 2_147_483_647 ? value : null;
}

/**
 * What became of the targets of some audit events (the rows a page shows):
 * whether each still exists and what it is called, so the log can link to it.
 * Targets of a kind that cannot be looked up are left out of the answer.
 */
export async function auditTargetStates(
  db: Executor,
  refs: readonly { type: string; id: string }[],
): Promise<AuditTargetState[]> {
  const idsByType = new Map<ResolvableType, Set<number>>();
  for (const ref of refs) {
    const id = databaseId(ref.id);
    if (!isResolvable(ref.type) || id === null) continue;
    const ids = idsByType.get(ref.type) ?? new Set<number>();
    idsByType.set(ref.type, ids.add(id));
  }
  const states: AuditTargetState[] = [];
  for (const [type, ids] of idsByType) {
    const found = new Map((await lookups[type](db, [...ids])).map((row) => [row.id, row]));
    for (const id of ids) {
      const row = found.get(id);
      states.push({
        type,
        id: String(id),
        exists: row !== undefined,
        label: row?.label ?? null,
        parentId: row?.parentId ?? null,
      });
    }
  }
  return states;
}
