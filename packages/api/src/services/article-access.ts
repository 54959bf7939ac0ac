import { type Executor, eq, schema } from "@inkwell/db";
import type { Principal } from "../auth/principal.ts";
import { Forbidden, NotFound } from "../errors.ts";
import { findArticleBySlug } from "./article-views.ts";
import { runPrepared } from "./prepared.ts";

/** Hidden articles stay readable by their author and by moderators. */
export function maySeeHidden(viewer: Principal | null, authorId: number): boolean {
  return !!viewer && (viewer.user.id === authorId || viewer.permissions.includes("content:moderate"));
}

/** The article at `slug` as `viewer` (null: anonymous) may see it, or NotFound (hidden ones look absent to others). */
export async function readableArticle(db: Executor, viewer: Principal | null, slug: string) {
  const article = await findArticleBySlug(db, slug, viewer?.user.id ?? null);
  if (!article || (article.moderation === "hidden" && !maySeeHidden(viewer, article.authorId))) {
    throw new NotFound("article", `No article "${slug}".`);
  }
  return article;
}

/**
 * What adding a comment needs of the article at `slug` and of its author (whom the comment may be emailed to), in
 * one statement, without the reader's view of the article; NotFound exactly when `readableArticle` would be.
 */
export async function commentableArticle(db: Executor, viewer: Principal, slug: string) {
  const a = schema.articles;
  const u = schema.users;
  const [article] = await runPrepared(
    db
      .select({
        id: a.id,
        slug: a.slug,
        title: a.title,
        moderation: a.moderation,
        authorId: a.authorId,
        author: { username: u.username, email: u.email, notifyOnComment: u.notifyOnComment, status: u.status },
      })
      .from(a)
      .innerJoin(u, eq(u.id, a.authorId))
      .where(eq(a.slug, slug))
      .limit(1),
    "commentable_article",
  );
  if (!article || (article.moderation === "hidden" && !maySeeHidden(viewer, article.authorId))) {
    throw new NotFound("article", `No article "${slug}".`);
  }
  return article;
}

/** The article at `slug` if `caller` wrote it; others are refused what they wanted to do (`verb`: "edit"). */
export async function ownArticle(db: Executor, caller: Principal, slug: string, verb: string) {
  const article = await readableArticle(db, caller, slug);
  if (article.authorId !== caller.user.id) throw new Forbidden(`Only the author can ${verb} this article.`);
  return article;
}

/** Whether the article still exists and `viewer` may read it (for a live stream opened on it). */
export async function isArticleReadable(db: Executor, viewer: Principal | null, articleId: number): Promise<boolean> {
  const [article] = await db
    .select({ authorId: schema.articles.authorId, moderation: schema.articles.moderation })
    .from(schema.articles)
    .where(eq(schema.articles.id, articleId));
  return !!article && (article.moderation !== "hidden" || maySeeHidden(viewer, article.authorId));
}
