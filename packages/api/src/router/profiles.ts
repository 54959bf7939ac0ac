import type { TRPCRouterRecord } from "@trpc/server";

export const profilesRouter = {} satisfies TRPCRouterRecord;
