import { articleSortKeys } from "@inkwell/auth";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { openCommentCountStream } from "../realtime/comment-count-stream.ts";
import { listArticlesForModeration } from "../services/moderation-lists.ts";
import { liveStream, permissionProcedure } from "../trpc.ts";
import { idsInput, pageInput, sortDirectionInput } from "./inputs.ts";
import { moderationActions } from "./moderation-actions.ts";
import { articleFilterFields, articleFilterInput, createdRangeInOrder } from "./moderation-inputs.ts";
import { moderatedArticlePageOutput } from "./operator-outputs.ts";

const listInput = z
  .object({
    ...articleFilterFields,
    sort: z.enum(articleSortKeys).default("createdAt"),
    direction: sortDirectionInput,
    ...pageInput,
  })
  .refine(createdRangeInOrder.check, createdRangeInOrder.message)
  .prefault({});

/** Operators' view of every article, hidden ones included, and bulk actions on a selection. */
export const moderationArticlesRouter = {
  list: permissionProcedure("content:moderate")
    .input(listInput)
    .output(moderatedArticlePageOutput)
    .query(({ ctx, input }) => listArticlesForModeration(ctx.db, input)),

  /** Comment counts of these articles (the rows on screen), live: all first, then each change. */
  onCommentCounts: permissionProcedure("content:moderate")
    .input(z.object({ ids: idsInput }))
    .subscription(({ ctx, input, signal }) => liveStream(openCommentCountStream(ctx, input.ids, signal))),

  ...moderationActions("article", articleFilterInput),
} satisfies TRPCRouterRecord;
