import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { jobQueueSummary, listJobFailures, retryJob } from "../services/job-admin.ts";
import { permissionProcedure } from "../trpc.ts";
import { cursorInput, MAX_PAGE_SIZE } from "./inputs.ts";

/** graphile-worker's job ids are bigints; ours stay far below 2^53. */
const jobIdInput = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** The background job queue, for operators (docs/background-work.md). */
export const jobsRouter = {
  /** Jobs by task and state (ready, scheduled, running, failed), and the worker processes alive now. */
  summary: permissionProcedure("jobs:manage").query(({ ctx }) => jobQueueSummary(ctx.db)),

  /** Jobs whose last attempt failed, with the error, most recent first; `state` narrows to used-up or retrying ones. */
  failures: permissionProcedure("jobs:manage")
    .input(
      z.object({
        state: z.enum(["failed", "retrying"]).optional(),
        limit: z.number().int().min(1).max(MAX_PAGE_SIZE, `Pages hold at most ${MAX_PAGE_SIZE} jobs.`).default(50),
        cursor: cursorInput.optional(),
      }),
    )
    .query(({ ctx, input }) => listJobFailures(ctx.db, input)),

  /** Runs a failed job again now, its attempts counted from zero. */
  retry: permissionProcedure("jobs:manage")
    .input(z.object({ id: jobIdInput }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("job", input.id);
      const job = await retryJob(ctx.db, input.id);
      ctx.audit.detail({ task: job.name });
      return job;
    }),
} satisfies TRPCRouterRecord;
