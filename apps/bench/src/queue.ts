import { connect } from "@inkwell/db";

/**
 * Waits until the servers' workers have run every job that is due (the email
 * notifications earlier comment scenarios queued), so a webhook scenario's
 * deliveries do not start behind another scenario's backlog. Returns the
 * seconds waited, or throws past `timeoutSeconds`.
 */
export async function waitForIdleQueue(databaseUrl: string, timeoutSeconds = 180): Promise<number> {
  const { sql, close } = connect({ url: databaseUrl, maxConnections: 1 });
  const started = performance.now();
  try {
    for (;;) {
      const [row] = await sql<{ due: number }[]>`
        select count(*)::int as due from graphile_worker._private_jobs
        where run_at <= now() and attempts < max_attempts`;
      const waited = (performance.now() - started) / 1000;
      if ((row?.due ?? 0) === 0) return waited;
      if (waited > timeoutSeconds) throw new Error(`${row?.due} jobs still due after ${timeoutSeconds} s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await close();
  }
}
