import type { TRPCRouterRecord } from "@trpc/server";
import { dashboardSummary } from "../services/dashboard.ts";
import { permissionProcedure } from "../trpc.ts";
import { dashboardOutput } from "./operator-outputs.ts";

export const dashboardRouter = {
  /** Totals, and activity per UTC day over the last 30 days. */
  summary: permissionProcedure("dashboard:read")
    .output(dashboardOutput)
    .query(({ ctx }) => dashboardSummary(ctx.db, ctx.authSettings)),
} satisfies TRPCRouterRecord;
