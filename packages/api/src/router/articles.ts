import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { openCommentStream } from "../realtime/comment-stream.ts";
import { ownArticle, readableArticle } from "../services/article-access.ts";
import { articleFeed, listArticles } from "../services/article-lists.ts";
import { createArticle, deleteArticle, setFavorite, updateArticle } from "../services/articles.ts";
import { authedProcedure, permissionProcedure, publicProcedure, trackedLiveStream } from "../trpc.ts";
import { articleFields, lastEventIdInput, listWindowInput, slugInput, tagNameInput, usernameInput } from "./inputs.ts";
import { articleOutput, articlePageOutput, deletedArticleOutput } from "./outputs.ts";
import { publishingProcedure } from "./publishing.ts";

/** Drops the internal author id from what readers receive. */
function view<T extends { authorId?: number }>(article: T): Omit<T, "authorId"> {
  const { authorId: _authorId, ...rest } = article;
  return rest;
}

/** Marks or unmarks an article as a favorite of the caller and returns it with the new count. */
function favoriteProcedure(favorite: boolean) {
  return permissionProcedure("articles:write")
    .input(z.object({ slug: slugInput }))
    .output(articleOutput)
    .mutation(async ({ ctx, input }) => {
      const article = await readableArticle(ctx.db, ctx.principal, input.slug);
      ctx.audit.target("article", article.id);
      await setFavorite(ctx.db, ctx.user.id, article.id, favorite);
      return view(await readableArticle(ctx.db, ctx.principal, input.slug));
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
    .output(articlePageOutput)
    .query(({ ctx, input: { tag, author, favoritedBy, ...window } }) =>
      listArticles(ctx.db, ctx.principal?.user.id ?? null, { tag, author, favoritedBy }, window),
    ),

  /** Articles by the authors the caller follows, newest first. */
  feed: authedProcedure
    .input(z.object(listWindow).default({ limit: 20, offset: 0, includeBody: false }))
    .output(articlePageOutput)
    .query(({ ctx, input }) => articleFeed(ctx.db, ctx.user.id, input)),

  get: publicProcedure
    .input(z.object({ slug: slugInput }))
    .output(articleOutput)
    .query(async ({ ctx, input }) => view(await readableArticle(ctx.db, ctx.principal, input.slug))),

  /**
   * New comments on an article as they are written, over server-sent events,
   * for anyone who may read it; reconnecting with the last comment id first
   * replays what was missed. Ends if the article is hidden from the caller or
   * removed, or the caller's session or key is revoked.
   */
  onComment: publicProcedure
    .input(z.object({ slug: slugInput, lastEventId: lastEventIdInput.optional() }))
    .subscription(async ({ ctx, input, signal }) => {
      const article = await readableArticle(ctx.db, ctx.principal, input.slug);
      return trackedLiveStream(await openCommentStream(ctx, article.id, { lastEventId: input.lastEventId, signal }));
    }),

  create: publishingProcedure("articles:write")
    .input(z.object({ ...articleFields, tagList: articleFields.tagList.default([]) }))
    .output(articleOutput)
    .mutation(async ({ ctx, input }) => {
      const article = await createArticle(ctx.db, ctx.user.id, input);
      ctx.audit.target("article", article.id);
      return article;
    }),

  /** Author only. A new title gives a new slug; omitted fields (and `tagList`) stay as they are. */
  update: publishingProcedure("articles:write")
    .input(
      z.object({
        slug: slugInput,
        title: articleFields.title.optional(),
        description: articleFields.description.optional(),
        body: articleFields.body.optional(),
        tagList: articleFields.tagList.optional(),
      }),
    )
    .output(articleOutput)
    .mutation(async ({ ctx, input }) => {
      const { slug, ...changes } = input;
      const article = await ownArticle(ctx.db, ctx.principal, slug, "edit");
      ctx.audit.target("article", article.id);
      return updateArticle(ctx.db, article, changes, ctx.user.id);
    }),

  /** Author only; operators remove content through moderation. */
  delete: permissionProcedure("articles:write")
    .input(z.object({ slug: slugInput }))
    .output(deletedArticleOutput)
    .mutation(async ({ ctx, input }) => {
      const article = await ownArticle(ctx.db, ctx.principal, input.slug, "delete");
      ctx.audit.target("article", article.id);
      await deleteArticle(ctx.db, article.id);
      return { deleted: article.slug };
    }),

  favorite: favoriteProcedure(true),
  unfavorite: favoriteProcedure(false),
} satisfies TRPCRouterRecord;
