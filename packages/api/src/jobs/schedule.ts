import type { CronItem } from "graphile-worker";
import type { JobName } from "./definitions.ts";

export interface ScheduledJob {
  name: JobName;
  /** Five-field cron pattern, in UTC. */
  match: string;
}

/**
 * Recurring jobs. graphile-worker's cron enqueues each tick once however many
 * processes run workers, and catches up on ticks missed while none ran
 * (within `BACKFILL_MS`). The maintenance sweeps delete in bounded batches and
 * pick up where the last one stopped, so their frequency only sets how long rows linger.
 */
export const maintenanceSchedule: ScheduledJob[] = [
  { name: "maintenance.deleteExpiredSessions", match: "*/10 * * * *" },
  { name: "maintenance.deleteExpiredChallenges", match: "*/10 * * * *" },
  { name: "maintenance.deleteStaleThrottleCounters", match: "*/10 * * * *" },
  { name: "maintenance.deleteDeliveredEmails", match: "17 * * * *" },
  { name: "maintenance.deleteFinishedWebhookDeliveries", match: "37 * * * *" },
  { name: "maintenance.deleteOldAuditEvents", match: "23 3 * * *" },
  // Every minute: an account restores itself close to the end date an operator chose.
  { name: "maintenance.endElapsedSuspensions", match: "* * * * *" },
];

/** A missed tick up to this old still runs when a worker starts. */
const BACKFILL_MS = 60 * 60_000;

/** The schedule in graphile-worker's terms; the job name is the identifier, so changing a pattern keeps its history. */
export function cronItems(schedule: readonly ScheduledJob[]): CronItem[] {
  return schedule.map(({ name, match }) => ({
    task: name,
    match,
    identifier: name,
    // One waiting run per job at most: a backlog of ticks collapses into one.
    options: { backfillPeriod: BACKFILL_MS, jobKey: `cron:${name}`, jobKeyMode: "preserve_run_at" },
  }));
}
