import { migrationStatus, type SqlClient } from "@inkwell/db";
import { Hono } from "hono";

/** `/healthz`: the process is alive. `/readyz`: it can serve (database reachable, schema current). */
export function healthRoutes(sql: SqlClient) {
  return new Hono()
    .get("/healthz", (c) => c.json({ status: "ok" }))
    .get("/readyz", async (c) => {
      try {
        const migrations = await migrationStatus(sql);
        if (migrations.pending > 0) {
          return c.json({ status: "unavailable", reason: `${migrations.pending} migration(s) not applied` }, 503);
        }
        if (!migrations.jobQueueInstalled) {
          return c.json({ status: "unavailable", reason: "the job queue's schema is not installed" }, 503);
        }
        return c.json({ status: "ready" });
      } catch {
        return c.json({ status: "unavailable", reason: "database unreachable" }, 503);
      }
    });
}
