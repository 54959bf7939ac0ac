import { moderationStates } from "@inkwell/auth/enums";
import { z } from "zod/mini";
import { oneOfParam, pageParam, pageSizeParam, pagingDefaults, textParam } from "../../lib/search.ts";

/** The view the URL need not mention: these stay out of it. */
export const commentsSearchDefaults = pagingDefaults;

export const commentsSearchSchema = z.object({
  page: pageParam,
  pageSize: pageSizeParam,
  state: oneOfParam(moderationStates),
  search: textParam(),
});
