import { z } from "zod/mini";
import { oneOfParam } from "../../lib/search.ts";

/** Which failures the Jobs page lists: all, those out of attempts, or those that will retry. */
export const failureStates = ["failed", "retrying"] as const;

export const jobsSearchSchema = z.object({ state: oneOfParam(failureStates) });

export type JobsSearch = z.output<typeof jobsSearchSchema>;
