import { and, desc, eq, ilike, schema } from "@inkwell/db";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { containsPattern, offsetOf, pageTotal, splitTotal, totalRows } from "../services/paging.ts";
import { permissionProcedure } from "../trpc.ts";
import { idInput, pageInput, searchInput } from "./inputs.ts";
import { moderationActions } from "./moderation-actions.ts";

const { articles, comments, users } = schema;

const listInput = z
  .object({
    state: z.enum(schema.moderationStates).optional(),
    articleId: idInput.optional(),
    authorId: idInput.optional(),
    search: searchInput,
    ...pageInput,
  })
  .prefault({});

/** Operators' view of every comment, hidden ones included, and bulk actions on a selection. */
export const moderationCommentsRouter = {
  /** Newest first. */
  list: permissionProcedure("content:moderate")
    .input(listInput)
    .query(async ({ ctx, input }) => {
      const where = and(
        input.state ? eq(comments.moderation, input.state) : undefined,
        input.articleId ? eq(comments.articleId, input.articleId) : undefined,
        input.authorId ? eq(comments.authorId, input.authorId) : undefined,
        input.search ? ilike(comments.body, containsPattern(input.search)) : undefined,
      );
      // Page and total come from comments alone; only the page's rows are joined to their article and author.
      const pageIds = ctx.db
        .select({ id: comments.id, total_rows: totalRows() })
        .from(comments)
        .where(where)
        .orderBy(desc(comments.createdAt), desc(comments.id))
        .limit(input.pageSize)
        .offset(offsetOf(input.page, input.pageSize))
        .as("page_ids");
      const rows = await ctx.db
        .select({
          id: comments.id,
          body: comments.body,
          article: { id: articles.id, slug: articles.slug, title: articles.title },
          author: { id: users.id, username: users.username },
          moderation: comments.moderation,
          moderatedAt: comments.moderatedAt,
          createdAt: comments.createdAt,
          total_rows: pageIds.total_rows,
        })
        .from(pageIds)
        .innerJoin(comments, eq(comments.id, pageIds.id))
        .innerJoin(articles, eq(articles.id, comments.articleId))
        .innerJoin(users, eq(users.id, comments.authorId))
        .orderBy(desc(comments.createdAt), desc(comments.id));
      const page = splitTotal(rows);
      const total = await pageTotal(page.total, input.page, () => ctx.db.$count(comments, where));
      return { comments: page.rows, total };
    }),

  ...moderationActions(schema.comments),
} satisfies TRPCRouterRecord;
