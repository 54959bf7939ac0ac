import { and, desc, eq, schema, sql } from "@inkwell/db";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import type { Context } from "../context.ts";
import { Forbidden, NotFound } from "../errors.ts";
import { readableArticle } from "../services/article-access.ts";
import { selectComments } from "../services/comments.ts";
import { encodeCursor } from "../services/cursor.ts";
import { permissionProcedure, publicProcedure } from "../trpc.ts";
import { cursorInput, idInput, slugInput } from "./inputs.ts";

const c = schema.comments;

/** The article a comment thread belongs to, if the caller may read it. */
async function readableArticleId(ctx: Pick<Context, "db" | "principal">, slug: string): Promise<number> {
  return (await readableArticle(ctx.db, ctx.principal, slug)).id;
}

export const commentsRouter = {
  /** Visible comments on an article, newest first, in pages of up to 500. */
  list: publicProcedure
    .input(
      z.object({
        slug: slugInput,
        limit: z.number().int().min(1).max(500).default(200),
        cursor: cursorInput.optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const articleId = await readableArticleId(ctx, input.slug);
      const { cursor } = input;
      const comments = await selectComments(ctx.db, ctx.principal?.user.id ?? null)
        .where(
          and(
            eq(c.articleId, articleId),
            eq(c.moderation, "visible"),
            cursor
              ? sql`(${c.createdAt}, ${c.id}) < (${cursor.createdAt.toISOString()}::timestamptz, ${cursor.id})`
              : undefined,
          ),
        )
        .orderBy(desc(c.createdAt), desc(c.id))
        .limit(input.limit);
      const last = comments.at(-1);
      return { comments, nextCursor: last && comments.length === input.limit ? encodeCursor(last) : null };
    }),

  add: permissionProcedure("comments:write")
    .input(
      z.object({
        slug: slugInput,
        body: z.string().trim().min(1, "Write something.").max(10_000, "Comments have at most 10,000 characters."),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const articleId = await readableArticleId(ctx, input.slug);
      const [row] = await ctx.db
        .insert(c)
        .values({ articleId, authorId: ctx.user.id, body: input.body })
        .returning({ id: c.id });
      if (!row) throw new Error("insert returned no row");
      ctx.audit.target("comment", row.id).detail({ articleId });
      const [comment] = await selectComments(ctx.db, ctx.user.id).where(eq(c.id, row.id));
      if (!comment) throw new Error(`comment ${row.id} vanished after insert`);
      return comment;
    }),

  /** Author only; operators remove comments through moderation. */
  delete: permissionProcedure("comments:write")
    .input(z.object({ slug: slugInput, id: idInput }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("comment", input.id);
      const articleId = await readableArticleId(ctx, input.slug);
      const [comment] = await ctx.db
        .select({ authorId: c.authorId })
        .from(c)
        .where(and(eq(c.id, input.id), eq(c.articleId, articleId)));
      if (!comment) throw new NotFound("comment", `No comment ${input.id} on "${input.slug}".`);
      if (comment.authorId !== ctx.user.id) {
        throw new Forbidden("Only the author can delete this comment.");
      }
      await ctx.db.delete(c).where(eq(c.id, input.id));
      return { deleted: input.id };
    }),
} satisfies TRPCRouterRecord;
