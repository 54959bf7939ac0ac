import type { TRPCRouterRecord } from "@trpc/server";

export const moderationRouter = {} satisfies TRPCRouterRecord;
