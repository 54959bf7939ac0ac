import { moderationStates } from "@inkwell/auth/enums";
import { z } from "zod/mini";
import { dayParam } from "../../components/moderation/content-filter.ts";
import { oneOfParam, pageParam, pageSizeParam, pagingDefaults, textParam } from "../../lib/search.ts";

/** The view the URL need not mention: these stay out of it. */
export const commentsSearchDefaults = pagingDefaults;

export const commentsSearchSchema = z.object({
  page: pageParam,
  pageSize: pageSizeParam,
  state: oneOfParam(moderationStates),
  search: textParam(),
  author: textParam(40),
  tag: textParam(40),
  from: dayParam,
  to: dayParam,
});
