import type { TRPCRouterRecord } from "@trpc/server";
import { dashboardSummary } from "../services/dashboard.ts";
import { permissionProcedure } from "../trpc.ts";
import { dashboardRangeInput } from "./dashboard-range-input.ts";
import { dashboardOutput } from "./operator-outputs.ts";

export const dashboardRouter = {
  /**
   * Totals now, and activity per day over a range of days (the last 30 in UTC
   * unless asked otherwise): each day from its midnight in the time zone
   * (included) to the next (excluded), days without events as zeros.
   */
  summary: permissionProcedure("dashboard:read")
    .input(dashboardRangeInput)
    .output(dashboardOutput)
    .query(({ ctx, input }) => dashboardSummary(ctx.db, ctx.authSettings, input)),
} satisfies TRPCRouterRecord;
