import { z } from "zod/mini";
import { pageParam, pageSizeParam, pagingDefaults } from "../../lib/search.ts";

/** The view the URL need not mention: these stay out of it. */
export const outboxSearchDefaults = pagingDefaults;

export const outboxSearchSchema = z.object({ page: pageParam, pageSize: pageSizeParam });

export type OutboxSearch = z.output<typeof outboxSearchSchema>;
