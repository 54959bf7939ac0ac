import { desc, schema, sql } from "@inkwell/db";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { deleteTag, mergeTags, renameTag } from "../services/tag-admin.ts";
import { permissionProcedure, publicProcedure } from "../trpc.ts";
import { idInput, tagNameInput } from "./inputs.ts";

const MAX_MERGE_SOURCES = 50;

export const tagsRouter = {
  /**
   * Every tag with how many articles carry it (hidden ones included), most used first.
   * Each count is an index-only scan of `article_tags_tag_id_idx`; joining every link to
   * its article to skip hidden ones would read the whole articles table on every call.
   */
  list: publicProcedure.query(({ ctx }) => {
    const articleCount = sql<number>`(select count(*)::int from ${schema.articleTags} where ${schema.articleTags.tagId} = ${schema.tags.id})`;
    return ctx.db
      .select({ id: schema.tags.id, name: schema.tags.name, articleCount })
      .from(schema.tags)
      .orderBy(desc(articleCount), schema.tags.name)
      .limit(1000);
  }),

  rename: permissionProcedure("tags:manage")
    .input(z.object({ id: idInput, name: tagNameInput }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("tag", input.id);
      const tag = await renameTag(ctx.db, input.id, input.name);
      ctx.audit.detail({ name: tag.name });
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
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("tag", input.targetId);
      const { target, sources, merged, articlesRetagged } = await mergeTags(ctx.db, input);
      // The sources are gone afterwards; the audit log is where their names remain.
      ctx.audit.detail({ sources, articlesRetagged });
      return { target, merged, articlesRetagged };
    }),

  delete: permissionProcedure("tags:manage")
    .input(z.object({ id: idInput }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("tag", input.id);
      const result = await deleteTag(ctx.db, input.id);
      ctx.audit.detail({ name: result.deleted.name, articlesUntagged: result.articlesUntagged });
      return result;
    }),
} satisfies TRPCRouterRecord;
