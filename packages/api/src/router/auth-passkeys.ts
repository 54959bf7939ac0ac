import type { TRPCRouterRecord } from "@trpc/server";

export const passkeysRouter = {} satisfies TRPCRouterRecord;
