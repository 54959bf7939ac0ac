import type { schema } from "@inkwell/db";
import { z } from "zod";
import { deleteModeratable, type Moderatable, setModerationState } from "../services/moderation.ts";
import { permissionProcedure } from "../trpc.ts";
import { idsInput } from "./inputs.ts";
import { moderationResultOutput } from "./operator-outputs.ts";

const selectionInput = z.object({ ids: idsInput });

/**
 * hide, restore and delete on a selection of articles or comments: the same
 * three procedures for both, audited with the ids they changed.
 */
export function moderationActions(kind: Moderatable) {
  const moderate = permissionProcedure("content:moderate").input(selectionInput).output(moderationResultOutput);

  const setState = (state: schema.ModerationState) =>
    moderate.mutation(async ({ ctx, input }) => {
      ctx.audit.target(kind, input.ids.join(","));
      const affected = await setModerationState(ctx.db, kind, { ids: input.ids, state, moderatorId: ctx.user.id });
      ctx.audit.detail({ ids: affected });
      return { affected };
    });

  return {
    hide: setState("hidden"),
    restore: setState("visible"),
    /** Deletes for good; what depends on the rows (comments, favorites, tag links) goes with them. */
    delete: moderate.mutation(async ({ ctx, input }) => {
      ctx.audit.target(kind, input.ids.join(","));
      const affected = await deleteModeratable(ctx.db, kind, input.ids);
      ctx.audit.detail({ ids: affected });
      return { affected };
    }),
  };
}
