import type { TRPCRouterRecord } from "@trpc/server";
import { databaseHealth } from "../services/system-status.ts";
import { permissionProcedure } from "../trpc.ts";
import { systemStatusOutput } from "./operator-outputs.ts";

export const systemRouter = {
  /**
   * Version and database health, for operators in the admin console. Not public: the version and migration
   * count tell an attacker which release runs. Liveness for anyone is `/healthz`, readiness `/readyz`.
   */
  status: permissionProcedure("dashboard:read")
    .output(systemStatusOutput)
    .query(async ({ ctx }) => ({
      version: ctx.version,
      database: await databaseHealth(ctx.sql),
    })),
} satisfies TRPCRouterRecord;
