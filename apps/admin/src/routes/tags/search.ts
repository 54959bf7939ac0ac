import { z } from "zod/mini";
import { directionParam, pageParam, pageSizeParam, pagingDefaults, textParam, withFallback } from "../../lib/search.ts";

/** Columns the tags table sorts by (in the browser: the server sends every tag). */
export const tagSortKeys = ["articleCount", "name"] as const;

/** The view the URL need not mention: these stay out of it. */
export const tagsSearchDefaults = { ...pagingDefaults, sort: "articleCount", direction: "desc" } as const;

/** The tags table's state, kept in the URL so a reload or Back keeps it. */
export const tagsSearchSchema = z.object({
  page: pageParam,
  pageSize: pageSizeParam,
  sort: withFallback(z.enum(tagSortKeys), tagsSearchDefaults.sort),
  direction: directionParam,
  filter: textParam(40),
});

export type TagsSearch = z.output<typeof tagsSearchSchema>;
