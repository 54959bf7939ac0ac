import { migrationStatus } from "@inkwell/db";
import type { TRPCRouterRecord } from "@trpc/server";
import { publicProcedure } from "../trpc.ts";

export const systemRouter = {
  /** Version and database health, for the admin console's status page. */
  status: publicProcedure.query(async ({ ctx }) => {
    const started = performance.now();
    try {
      const migrations = await migrationStatus(ctx.sql);
      return {
        version: ctx.version,
        database: {
          reachable: true as const,
          latencyMs: Math.round((performance.now() - started) * 10) / 10,
          migrations,
        },
      };
    } catch (error) {
      return {
        version: ctx.version,
        database: { reachable: false as const, error: error instanceof Error ? error.message : String(error) },
      };
    }
  }),
} satisfies TRPCRouterRecord;
