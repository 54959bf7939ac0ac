import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { tagBeforeChange } from "../services/audit-snapshots.ts";
import { deleteTag, mergeTags, renameTag } from "../services/tag-admin.ts";
import { listTags } from "../services/tags.ts";
import { permissionProcedure, publicProcedure } from "../trpc.ts";
import { idInput, tagNameInput } from "./inputs.ts";
import { tagDeleteOutput, tagMergeOutput } from "./operator-outputs.ts";
import { tagListOutput, tagOutput } from "./outputs.ts";

const MAX_MERGE_SOURCES = 50;

export const tagsRouter = {
  /** Every tag (the 1,000 most used at most) with how many articles carry it, hidden ones included; most used first. */
  list: publicProcedure.output(tagListOutput).query(({ ctx }) => listTags(ctx.db)),

  rename: permissionProcedure("tags:manage")
    .input(z.object({ id: idInput, name: tagNameInput }))
    .output(tagOutput)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("tag", input.id);
      const before = await tagBeforeChange(ctx.db, input.id);
      const tag = await renameTag(ctx.db, input.id, input.name);
      ctx.audit.detail({ name: tag.name }).change(before, tag);
      return tag;
    }),

  /** Folds duplicate tags ("js", "JS") into one; the sources are deleted. */
  merge: permissionProcedure("tags:manage")
    .input(
      z.object({
        sourceIds: z
          .array(idInput)
          .min(1, "Select at least one tag to merge.")
          .max(MAX_MERGE_SOURCES, `Merge at most ${MAX_MERGE_SOURCES} tags at once.`),
        targetId: idInput,
      }),
    )
    .output(tagMergeOutput)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("tag", input.targetId);
      const { target, sources, merged, articlesRetagged } = await mergeTags(ctx.db, input);
      // The sources are gone afterwards; the audit log is where their names remain.
      ctx.audit.detail({ sources, articlesRetagged });
      // Shown as a change of the set of tags: all of them before, the target alone after.
      ctx.audit.change({ tags: [...sources, target].map((tag) => tag.name) }, { tags: [target.name] });
      return { target, merged, articlesRetagged };
    }),

  delete: permissionProcedure("tags:manage")
    .input(z.object({ id: idInput }))
    .output(tagDeleteOutput)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("tag", input.id);
      const result = await deleteTag(ctx.db, input.id);
      ctx.audit.detail({ name: result.deleted.name, articlesUntagged: result.articlesUntagged });
      return result;
    }),
} satisfies TRPCRouterRecord;
