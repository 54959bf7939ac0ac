import { articleSortKeys, moderationStates } from "@inkwell/auth/enums";
import { z } from "zod/mini";
import { dayParam } from "../../components/moderation/content-filter.ts";
import {
  directionParam,
  oneOfParam,
  pageParam,
  pageSizeParam,
  pagingDefaults,
  textParam,
  withFallback,
} from "../../lib/search.ts";

/** The view the URL need not mention: these stay out of it. */
export const articlesSearchDefaults = { ...pagingDefaults, sort: "createdAt", direction: "desc" } as const;

export const articlesSearchSchema = z.object({
  page: pageParam,
  pageSize: pageSizeParam,
  sort: withFallback(z.enum(articleSortKeys), articlesSearchDefaults.sort),
  direction: directionParam,
  state: oneOfParam(moderationStates),
  search: textParam(),
  author: textParam(40),
  tag: textParam(40),
  from: dayParam,
  to: dayParam,
});
