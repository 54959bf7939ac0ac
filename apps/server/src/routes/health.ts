import { migrationStatus, type SqlClient } from "@inkwell/db";
import { Hono } from "hono";

/**
 * `/healthz`: the process is alive. `/readyz`: it can serve (database reachable, schema current) and has finished
 * starting: the server listens before its job worker starts, and a start that fails there ends the process.
 */
export function healthRoutes(sql: SqlClient, starting: () => boolean = () => false) {
  return new Hono()
    .get("/healthz", (c) => c.json({ status: "ok" }))
    .get("/readyz", async (c) => {
      if (starting()) {
        return c.json({ status: "unavailable", reason: "still starting: the job worker is not running yet" }, 503);
      }
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
