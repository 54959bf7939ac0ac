import type { Principal } from "../auth/principal.ts";
import type { Context } from "../context.ts";
import { NotFound } from "../errors.ts";
import { findArticleBySlug } from "./article-views.ts";

/** Hidden articles stay readable by their author and by moderators. */
export function maySeeHidden(principal: Principal | null, authorId: number): boolean {
  return !!principal && (principal.user.id === authorId || principal.permissions.includes("content:moderate"));
}

/** The article at `slug` as the caller may see it, or NOT_FOUND (hidden ones look absent to others). */
export async function readableArticle(ctx: Pick<Context, "db" | "principal">, slug: string) {
  const article = await findArticleBySlug(ctx.db, slug, ctx.principal?.user.id ?? null);
  if (!article || (article.moderation === "hidden" && !maySeeHidden(ctx.principal, article.authorId))) {
    throw new NotFound("article", `No article "${slug}".`);
  }
  return article;
}
