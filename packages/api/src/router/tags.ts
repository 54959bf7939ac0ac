import { count, desc, schema, sql } from "@inkwell/db";
import type { TRPCRouterRecord } from "@trpc/server";
import { publicProcedure } from "../trpc.ts";

export const tagsRouter = {
  /** Every tag with the number of visible articles carrying it, most used first. */
  list: publicProcedure.query(({ ctx }) =>
    ctx.db
      .select({ id: schema.tags.id, name: schema.tags.name, articleCount: count(schema.articles.id) })
      .from(schema.tags)
      .leftJoin(schema.articleTags, sql`${schema.articleTags.tagId} = ${schema.tags.id}`)
      .leftJoin(
        schema.articles,
        sql`${schema.articles.id} = ${schema.articleTags.articleId} and ${schema.articles.moderation} = 'visible'`,
      )
      .groupBy(schema.tags.id)
      .orderBy(desc(count(schema.articles.id)), schema.tags.name)
      .limit(1000),
  ),
} satisfies TRPCRouterRecord;
