import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { listCommentsForModeration } from "../services/moderation-lists.ts";
import { permissionProcedure } from "../trpc.ts";
import { pageInput } from "./inputs.ts";
import { moderationActions } from "./moderation-actions.ts";
import { commentFilterFields, commentFilterInput, createdRangeInOrder } from "./moderation-inputs.ts";
import { moderatedCommentPageOutput } from "./operator-outputs.ts";

const listInput = z
  .object({ ...commentFilterFields, ...pageInput })
  .refine(createdRangeInOrder.check, createdRangeInOrder.message)
  .prefault({});

/** Operators' view of every comment, hidden ones included, and bulk actions on a selection. */
export const moderationCommentsRouter = {
  /** Newest first. */
  list: permissionProcedure("content:moderate")
    .input(listInput)
    .output(moderatedCommentPageOutput)
    .query(({ ctx, input }) => listCommentsForModeration(ctx.db, input)),

  ...moderationActions("comment", commentFilterInput),
} satisfies TRPCRouterRecord;
