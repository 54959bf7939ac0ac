import type { TRPCRouterRecord } from "@trpc/server";

export const dashboardRouter = {} satisfies TRPCRouterRecord;
