import { count, eq, schema, sql } from "@inkwell/db";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import type { Context } from "../context.ts";
import { Forbidden, NotFound } from "../errors.ts";
import { openCommentStream } from "../realtime/comment-stream.ts";
import { readableArticle } from "../services/article-access.ts";
import {
  afterCursor,
  allOf,
  findArticleById,
  newestFirst,
  selectArticles,
  visible,
} from "../services/article-views.ts";
import { createArticle, setFavorite, updateArticle } from "../services/articles.ts";
import { type Cursor, encodeCursor } from "../services/cursor.ts";
import { usernameMatches } from "../services/profiles.ts";
import { authedProcedure, permissionProcedure, publicProcedure, trackedLiveStream } from "../trpc.ts";
import { articleFields, lastEventIdInput, listWindowInput, slugInput, tagNameInput, usernameInput } from "./inputs.ts";

const a = schema.articles;

async function ownArticle(ctx: Pick<Context, "db" | "principal">, slug: string, userId: number, verb: string) {
  const article = await readableArticle(ctx, slug);
  if (article.authorId !== userId) {
    throw new Forbidden(`Only the author can ${verb} this article.`);
  }
  return article;
}

/** Drops the internal author id from what readers receive. */
function view<T extends { authorId?: number }>(article: T): Omit<T, "authorId"> {
  const { authorId: _authorId, ...rest } = article;
  return rest;
}

const sub = {
  byTag: (tag: string) =>
    sql`${a.id} in (select ${schema.articleTags.articleId} from ${schema.articleTags}
        join ${schema.tags} on ${schema.tags.id} = ${schema.articleTags.tagId} where ${schema.tags.name} = ${tag})`,
  byAuthor: (username: string) =>
    sql`${a.authorId} = (select ${schema.users.id} from ${schema.users} where ${usernameMatches(username)})`,
  favoritedBy: (username: string) =>
    sql`${a.id} in (select ${schema.favorites.articleId} from ${schema.favorites}
        where ${schema.favorites.userId} = (select ${schema.users.id} from ${schema.users} where ${usernameMatches(username)}))`,
  followedBy: (userId: number) =>
    sql`${a.authorId} in (select ${schema.follows.followingId} from ${schema.follows} where ${schema.follows.followerId} = ${userId})`,
};

/**
 * One page of visible articles matching `where`, newest first, with the total
 * matching: two statements (page and count) run side by side, whatever the page size.
 */
async function articlePage(
  ctx: Pick<Context, "db" | "principal">,
  where: ReturnType<typeof allOf>,
  window: { limit: number; offset: number; cursor?: Cursor; includeBody?: boolean },
) {
  const { cursor } = window;
  const filter = allOf(visible(), where);
  // Unfiltered, the total is the trigger-kept counter: counting ~100k rows per page view was most of the cost.
  const totalQuery = where
    ? ctx.db.select({ n: count() }).from(a).where(filter)
    : ctx.db.select({ n: schema.articleCounts.visible }).from(schema.articleCounts);
  const [rows, [total]] = await Promise.all([
    selectArticles(ctx.db, ctx.principal?.user.id ?? null, { withBody: window.includeBody ?? false })
      .where(allOf(filter, cursor ? afterCursor(cursor) : undefined))
      .orderBy(...newestFirst)
      .limit(window.limit)
      .offset(cursor ? 0 : window.offset),
    totalQuery,
  ]);
  const last = rows.at(-1);
  return {
    articles: rows,
    articlesCount: total?.n ?? 0,
    nextCursor: last && rows.length === window.limit ? encodeCursor(last) : null,
  };
}

/** Marks or unmarks an article as a favorite of the caller and returns it with the new count. */
function favoriteProcedure(favorite: boolean) {
  return permissionProcedure("articles:write")
    .input(z.object({ slug: slugInput }))
    .mutation(async ({ ctx, input }) => {
      const article = await readableArticle(ctx, input.slug);
      ctx.audit.target("article", article.id);
      await setFavorite(ctx.db, ctx.user.id, article.id, favorite);
      return view(await readableArticle(ctx, input.slug));
    });
}

const listWindow = { ...listWindowInput, includeBody: z.boolean().default(false) };

export const articlesRouter = {
  /** Visible articles, newest first, filtered by tag, author or who favorited them. */
  list: publicProcedure
    .input(
      z
        .object({
          tag: tagNameInput.optional(),
          author: usernameInput.optional(),
          favoritedBy: usernameInput.optional(),
          ...listWindow,
        })
        .default({ limit: 20, offset: 0, includeBody: false }),
    )
    .query(({ ctx, input }) =>
      articlePage(
        ctx,
        allOf(
          input.tag ? sub.byTag(input.tag) : undefined,
          input.author ? sub.byAuthor(input.author) : undefined,
          input.favoritedBy ? sub.favoritedBy(input.favoritedBy) : undefined,
        ),
        input,
      ),
    ),

  /** Articles by the authors the caller follows, newest first. */
  feed: authedProcedure
    .input(z.object(listWindow).default({ limit: 20, offset: 0, includeBody: false }))
    .query(({ ctx, input }) => articlePage(ctx, sub.followedBy(ctx.user.id), input)),

  get: publicProcedure
    .input(z.object({ slug: slugInput }))
    .query(async ({ ctx, input }) => view(await readableArticle(ctx, input.slug))),

  /**
   * New comments on an article as they are written, over server-sent events,
   * for anyone who may read it; reconnecting with the last comment id first
   * replays what was missed. Ends if the article is hidden from the caller or
   * removed, or the caller's session or key is revoked.
   */
  onComment: publicProcedure
    .input(z.object({ slug: slugInput, lastEventId: lastEventIdInput.optional() }))
    .subscription(async ({ ctx, input, signal }) => {
      const article = await readableArticle(ctx, input.slug);
      return trackedLiveStream(await openCommentStream(ctx, article.id, { lastEventId: input.lastEventId, signal }));
    }),

  create: permissionProcedure("articles:write")
    .input(z.object({ ...articleFields, tagList: articleFields.tagList.default([]) }))
    .mutation(async ({ ctx, input }) => {
      const id = await ctx.db.transaction((tx) => createArticle(tx, ctx.user.id, input));
      ctx.audit.target("article", id);
      const article = await findArticleById(ctx.db, id, ctx.user.id);
      if (!article) throw new Error(`article ${id} vanished after insert`);
      return article;
    }),

  /** Author only. A new title gives a new slug; omitted fields (and `tagList`) stay as they are. */
  update: permissionProcedure("articles:write")
    .input(
      z.object({
        slug: slugInput,
        title: articleFields.title.optional(),
        description: articleFields.description.optional(),
        body: articleFields.body.optional(),
        tagList: articleFields.tagList.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { slug, ...changes } = input;
      const article = await ownArticle(ctx, slug, ctx.user.id, "edit");
      ctx.audit.target("article", article.id);
      await ctx.db.transaction((tx) => updateArticle(tx, article, changes));
      const updated = await findArticleById(ctx.db, article.id, ctx.user.id);
      if (!updated) throw new NotFound("article", `No article "${slug}".`);
      return updated;
    }),

  /** Author only; operators remove content through moderation. */
  delete: permissionProcedure("articles:write")
    .input(z.object({ slug: slugInput }))
    .mutation(async ({ ctx, input }) => {
      const article = await ownArticle(ctx, input.slug, ctx.user.id, "delete");
      ctx.audit.target("article", article.id);
      await ctx.db.delete(a).where(eq(a.id, article.id));
      return { deleted: article.slug };
    }),

  favorite: favoriteProcedure(true),
  unfavorite: favoriteProcedure(false),
} satisfies TRPCRouterRecord;
