import { randomBytes } from "node:crypto";
import { and, type Executor, eq, schema, sql } from "@inkwell/db";
import slugify from "@sindresorhus/slugify";
import { NotFound } from "../errors.ts";
import { findArticleById } from "./article-views.ts";
import { emitArticleEvent, emitWebhookEvent } from "./webhook-events.ts";

const MAX_SLUG_BASE = 80;

/** A readable slug from the title; "article" when the title has nothing to transliterate. */
export function slugBase(title: string): string {
  const base = slugify(title).slice(0, MAX_SLUG_BASE).replace(/-+$/, "");
  return base || "article";
}

/**
 * The title's slug when it is free, else the slug with a short random suffix.
 * A concurrent writer can still take it between check and insert; the unique
 * index then answers CONFLICT and the client may retry.
 */
export async function freeSlug(db: Executor, title: string): Promise<string> {
  const base = slugBase(title);
  const [taken] = await db
    .select({ id: schema.articles.id })
    .from(schema.articles)
    .where(eq(schema.articles.slug, base));
  return taken ? `${base}-${randomBytes(4).toString("hex")}` : base;
}

/** Sets an article's tags to exactly `names`, creating missing tags. */
export async function replaceTags(db: Executor, articleId: number, names: readonly string[]): Promise<void> {
  await db.delete(schema.articleTags).where(eq(schema.articleTags.articleId, articleId));
  const unique = [...new Set(names)];
  if (unique.length === 0) return;
  // `do update` (a no-op) rather than `do nothing` so existing tags come back in RETURNING.
  const tags = await db
    .insert(schema.tags)
    .values(unique.map((name) => ({ name })))
    .onConflictDoUpdate({ target: schema.tags.name, set: { name: sql`excluded.name` } })
    .returning({ id: schema.tags.id });
  await db.insert(schema.articleTags).values(tags.map((tag) => ({ articleId, tagId: tag.id })));
}

export interface ArticleFields {
  title: string;
  description: string;
  body: string;
  tagList: readonly string[];
}

/** Writes a new article and its tags, and emits `article.published`, in one transaction; returns it as its author sees it. */
export async function createArticle(db: Executor, authorId: number, fields: ArticleFields) {
  const id = await db.transaction(async (tx) => {
    const slug = await freeSlug(tx, fields.title);
    const [row] = await tx
      .insert(schema.articles)
      .values({ slug, title: fields.title, description: fields.description, body: fields.body, authorId })
      .returning({ id: schema.articles.id });
    if (!row) throw new Error("insert returned no row");
    await replaceTags(tx, row.id, fields.tagList);
    await emitArticleEvent(tx, "article.published", row.id);
    return row.id;
  });
  const article = await findArticleById(db, id, authorId);
  if (!article) throw new Error(`article ${id} vanished after insert`);
  return article;
}

/**
 * Applies `changes` to an article in one transaction (omitted fields, and
 * `tagList`, stay as they are), with its `article.updated` event; returns it
 * as `viewerId` sees it afterwards.
 */
export async function updateArticle(
  db: Executor,
  current: { id: number; slug: string; title: string },
  changes: Partial<ArticleFields>,
  viewerId: number,
) {
  const { tagList, ...columns } = changes;
  await db.transaction(async (tx) => {
    // The slug follows the title, and only the title: other edits keep links stable.
    const slug =
      columns.title !== undefined && slugBase(columns.title) !== slugBase(current.title)
        ? await freeSlug(tx, columns.title)
        : undefined;
    const set = Object.fromEntries(Object.entries({ ...columns, slug }).filter(([, value]) => value !== undefined));
    if (Object.keys(set).length > 0 || tagList !== undefined) {
      // Touch updated_at even when only the tags change.
      await tx
        .update(schema.articles)
        .set({ ...set, updatedAt: new Date() })
        .where(eq(schema.articles.id, current.id));
    }
    if (tagList !== undefined) await replaceTags(tx, current.id, tagList);
    if (Object.keys(set).length > 0 || tagList !== undefined) {
      await emitArticleEvent(tx, "article.updated", current.id);
    }
  });
  // Deleted meanwhile (by a moderator): the edit found nothing to change.
  const updated = await findArticleById(db, current.id, viewerId);
  if (!updated) throw new NotFound("article", `No article "${current.slug}".`);
  return updated;
}

/** Deletes an article (its comments, favorites and tag links go with it), and emits `article.deleted` by its author. */
export async function deleteArticle(db: Executor, articleId: number): Promise<void> {
  const deleted = await db
    .delete(schema.articles)
    .where(eq(schema.articles.id, articleId))
    .returning({ id: schema.articles.id, slug: schema.articles.slug, title: schema.articles.title });
  for (const article of deleted) await emitWebhookEvent(db, "article.deleted", { article, deletedBy: "author" });
}

export async function setFavorite(db: Executor, userId: number, articleId: number, favorite: boolean): Promise<void> {
  if (favorite) {
    await db.insert(schema.favorites).values({ userId, articleId }).onConflictDoNothing();
  } else {
    await db
      .delete(schema.favorites)
      .where(and(eq(schema.favorites.userId, userId), eq(schema.favorites.articleId, articleId)));
  }
}
