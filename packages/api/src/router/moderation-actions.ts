import { z } from "zod";
import { deleteModeratable, type Moderatable, setModerationState, undoHide } from "../services/moderation.ts";
import type { ContentFilter } from "../services/moderation-filters.ts";
import { deleteMatching, setModerationStateMatching } from "../services/moderation-matching.ts";
import { permissionProcedure } from "../trpc.ts";
import { idsInput } from "./inputs.ts";
import { moderationReasonInput } from "./moderation-inputs.ts";
import { matchingResultOutput, moderationHideOutput, moderationResultOutput } from "./operator-outputs.ts";

const selectionInput = z.object({ ids: idsInput });

/**
 * hide, restore and delete on a selection of articles or comments (by ids, or
 * every row a filter matches), and the undo of a hide: the same procedures for
 * both, audited with the ids they changed, or with the filter and the count.
 */
export function moderationActions<F extends ContentFilter>(kind: Moderatable, filterInput: z.ZodType<F>) {
  const moderate = permissionProcedure("content:moderate");
  const matchingInput = z.object({ filter: filterInput });

  return {
    /** Hides the selection, with an optional reason; answers the action's id, which `undoHide` takes. */
    hide: moderate
      .input(selectionInput.extend({ reason: moderationReasonInput }))
      .output(moderationHideOutput)
      .mutation(async ({ ctx, input }) => {
        ctx.audit.target(kind, input.ids.join(","));
        const change = await setModerationState(ctx.db, kind, {
          ids: input.ids,
          state: "hidden",
          moderatorId: ctx.user.id,
          reason: input.reason,
        });
        ctx.audit.detail({ ids: change.affected, actionId: change.actionId });
        return change;
      }),

    restore: moderate
      .input(selectionInput)
      .output(moderationResultOutput)
      .mutation(async ({ ctx, input }) => {
        ctx.audit.target(kind, input.ids.join(","));
        const { affected } = await setModerationState(ctx.db, kind, {
          ids: input.ids,
          state: "visible",
          moderatorId: ctx.user.id,
        });
        ctx.audit.detail({ ids: affected });
        return { affected };
      }),

    /** Deletes for good; what depends on the rows (comments, favorites, tag links) goes with them. */
    delete: moderate
      .input(selectionInput)
      .output(moderationResultOutput)
      .mutation(async ({ ctx, input }) => {
        ctx.audit.target(kind, input.ids.join(","));
        const affected = await deleteModeratable(ctx.db, kind, input.ids);
        ctx.audit.detail({ ids: affected });
        return { affected };
      }),

    /**
     * Hides every row the filter matches, in one transaction: at most MAX_MATCHING_SELECTION (10,000),
     * else nothing changes and the answer is BAD_REQUEST. Audited with the filter and the counts, not the ids.
     */
    hideMatching: moderate
      .input(matchingInput.extend({ reason: moderationReasonInput }))
      .output(matchingResultOutput)
      .mutation(async ({ ctx, input }) => {
        ctx.audit.target(kind, "matching");
        const change = await setModerationStateMatching(ctx.db, kind, {
          filter: input.filter,
          state: "hidden",
          moderatorId: ctx.user.id,
          reason: input.reason,
        });
        ctx.audit.detail({ filter: input.filter, ...change });
        return change;
      }),

    /** Restores every row the filter matches, bounded like hideMatching. */
    restoreMatching: moderate
      .input(matchingInput)
      .output(matchingResultOutput)
      .mutation(async ({ ctx, input }) => {
        ctx.audit.target(kind, "matching");
        const change = await setModerationStateMatching(ctx.db, kind, {
          filter: input.filter,
          state: "visible",
          moderatorId: ctx.user.id,
        });
        ctx.audit.detail({ filter: input.filter, ...change });
        return change;
      }),

    /** Deletes every row the filter matches, bounded like hideMatching. */
    deleteMatching: moderate
      .input(matchingInput)
      .output(matchingResultOutput)
      .mutation(async ({ ctx, input }) => {
        ctx.audit.target(kind, "matching");
        const change = await deleteMatching(ctx.db, kind, input.filter);
        ctx.audit.detail({ filter: input.filter, ...change });
        return change;
      }),

    /** Shows again what one hide of yours hid and is still hidden by it; someone else's hide is FORBIDDEN. */
    undoHide: moderate
      .input(z.object({ actionId: z.uuid("Expected the actionId a hide answered.") }))
      .output(moderationResultOutput)
      .mutation(async ({ ctx, input }) => {
        ctx.audit.target(kind, input.actionId);
        const affected = await undoHide(ctx.db, kind, { actionId: input.actionId, moderatorId: ctx.user.id });
        ctx.audit.detail({ ids: affected, actionId: input.actionId });
        return { affected };
      }),
  };
}
