import type { TRPCRouterRecord } from "@trpc/server";

export const articlesRouter = {} satisfies TRPCRouterRecord;
