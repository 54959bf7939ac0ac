import { migrationStatus } from "@inkwell/db";
import type { TRPCRouterRecord } from "@trpc/server";
import { DATABASE_UNAVAILABLE } from "../errors.ts";
import { permissionProcedure } from "../trpc.ts";

export const systemRouter = {
  /**
   * Version and database health, for operators in the admin console. Not public: the version and migration
   * count tell an attacker which release runs. Liveness for anyone is `/healthz`, readiness `/readyz`.
   */
  status: permissionProcedure("dashboard:read").query(async ({ ctx }) => {
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
      // The driver's text can name tables, hosts and users: it goes to the server log, never to the caller.
      console.error("system.status: database check failed", error);
      return { version: ctx.version, database: { reachable: false as const, error: DATABASE_UNAVAILABLE } };
    }
  }),
} satisfies TRPCRouterRecord;
