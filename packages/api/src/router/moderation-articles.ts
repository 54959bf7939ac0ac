import { and, asc, desc, eq, ilike, schema, sql } from "@inkwell/db";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { openCommentCountStream } from "../realtime/comment-count-stream.ts";
import { containsPattern, offsetOf, pageTotal, splitTotal, totalRows } from "../services/paging.ts";
import { liveStream, permissionProcedure } from "../trpc.ts";
import { idInput, idsInput, pageInput, searchInput, sortDirectionInput } from "./inputs.ts";
import { moderationActions } from "./moderation-actions.ts";

const { articles, users } = schema;

const listInput = z
  .object({
    state: z.enum(schema.moderationStates).optional(),
    search: searchInput,
    authorId: idInput.optional(),
    sort: z.enum(["createdAt", "title"]).default("createdAt"),
    direction: sortDirectionInput,
    ...pageInput,
  })
  .prefault({});

const sortColumns = { createdAt: articles.createdAt, title: articles.title };

/** Operators' view of every article, hidden ones included, and bulk actions on a selection. */
export const moderationArticlesRouter = {
  list: permissionProcedure("content:moderate")
    .input(listInput)
    .query(async ({ ctx, input }) => {
      const where = and(
        input.state ? eq(articles.moderation, input.state) : undefined,
        input.search ? ilike(articles.title, containsPattern(input.search)) : undefined,
        input.authorId ? eq(articles.authorId, input.authorId) : undefined,
      );
      const order = input.direction === "asc" ? asc : desc;
      const rows = await ctx.db
        .select({
          id: articles.id,
          slug: articles.slug,
          title: articles.title,
          description: articles.description,
          author: { id: users.id, username: users.username },
          moderation: articles.moderation,
          moderatedAt: articles.moderatedAt,
          createdAt: articles.createdAt,
          updatedAt: articles.updatedAt,
          // Hidden comments count too: operators see everything.
          commentsCount: sql<number>`(select count(*) from ${schema.comments} where ${schema.comments.articleId} = ${articles.id})::int`,
          favoritesCount: sql<number>`(select count(*) from ${schema.favorites} where ${schema.favorites.articleId} = ${articles.id})::int`,
          total_rows: totalRows(),
        })
        .from(articles)
        .innerJoin(users, eq(users.id, articles.authorId))
        .where(where)
        .orderBy(order(sortColumns[input.sort]), order(articles.id))
        .limit(input.pageSize)
        .offset(offsetOf(input.page, input.pageSize));
      const page = splitTotal(rows);
      const total = await pageTotal(page.total, input.page, () => ctx.db.$count(articles, where));
      return { articles: page.rows, total };
    }),

  /** Comment counts of these articles (the rows on screen), live: all first, then each change. */
  onCommentCounts: permissionProcedure("content:moderate")
    .input(z.object({ ids: idsInput }))
    .subscription(({ ctx, input, signal }) => liveStream(openCommentCountStream(ctx, input.ids, signal))),

  ...moderationActions(schema.articles),
} satisfies TRPCRouterRecord;
