import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { commentableArticle, readableArticle } from "../services/article-access.ts";
import { notifyAuthorOfComment } from "../services/comment-notifications.ts";
import { addComment, deleteOwnComment, listComments } from "../services/comments.ts";
import { permissionProcedure, publicProcedure } from "../trpc.ts";
import { cursorInput, idInput, slugInput } from "./inputs.ts";
import { commentOutput, commentPageOutput, deletedCommentOutput } from "./outputs.ts";
import { publishingProcedure } from "./publishing.ts";

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
    .output(commentPageOutput)
    .query(async ({ ctx, input }) => {
      const article = await readableArticle(ctx.db, ctx.principal, input.slug);
      return listComments(ctx.db, ctx.principal?.user.id ?? null, article.id, input);
    }),

  add: publishingProcedure("comments:write")
    .input(
      z.object({
        slug: slugInput,
        body: z.string().trim().min(1, "Write something.").max(10_000, "Comments have at most 10,000 characters."),
      }),
    )
    .output(commentOutput)
    .mutation(async ({ ctx, input }) => {
      // One statement reads the article and its author; then the comment and, when due, the author's email
      // are written side by side: postgres.js pipelines them on the transaction's connection, so the
      // comment, its webhook event and the email cost two round trips, not four (BENCHMARKS.md, finding 8).
      // In the comment's transaction: the email exists exactly when the comment does.
      const article = await commentableArticle(ctx.db, ctx.principal, input.slug);
      const [comment] = await Promise.all([
        addComment(ctx.db, ctx.user, article, input.body),
        notifyAuthorOfComment(ctx.db, ctx.links, { article, commenter: ctx.user, body: input.body }),
      ]);
      // The comment stream recognises new comments on an article by this target and `articleId`.
      ctx.audit.target("comment", comment.id).detail({ articleId: article.id });
      return comment;
    }),

  /** Author only; operators remove comments through moderation. */
  delete: permissionProcedure("comments:write")
    .input(z.object({ slug: slugInput, id: idInput }))
    .output(deletedCommentOutput)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("comment", input.id);
      const article = await readableArticle(ctx.db, ctx.principal, input.slug);
      await deleteOwnComment(ctx.db, ctx.user.id, article, input.id);
      return { deleted: input.id };
    }),
} satisfies TRPCRouterRecord;
