import {
  deleteDeliveredEmails,
  deleteExpiredChallenges,
  deleteExpiredSessions,
  deleteFinishedWebhookDeliveries,
  deleteOldAuditEvents,
  deleteStaleThrottleCounters,
  endElapsedSuspensions,
} from "../services/maintenance.ts";
import type { JobDeps } from "./types.ts";
import type { JobRun } from "./worker.ts";

type Sweep = (deps: JobDeps, now: Date, signal: AbortSignal) => Promise<number | null>;

/** A scheduled sweep: runs it with the configured clock and limits, and logs what it deleted. */
function sweepJob(what: string, sweep: Sweep) {
  return (deps: JobDeps) =>
    async (_payload: unknown, job: JobRun): Promise<void> => {
      const now = deps.maintenance.now?.() ?? new Date();
      const deleted = await sweep(deps, now, job.signal);
      if (deleted === null) return;
      const level = deleted > 0 ? "info" : "debug";
      deps.logger[level]({ job: { id: job.id, name: job.name }, deleted }, `maintenance: deleted ${deleted} ${what}`);
    };
}

export const deleteExpiredSessionsJob = sweepJob("expired sessions", ({ db, maintenance }, now, signal) =>
  deleteExpiredSessions(db, maintenance.sessions, now, { ...maintenance.limits, signal }),
);

export const deleteExpiredChallengesJob = sweepJob(
  "expired two-factor challenges",
  ({ db, maintenance }, now, signal) => deleteExpiredChallenges(db, now, { ...maintenance.limits, signal }),
);

export const deleteStaleThrottleCountersJob = sweepJob("stale throttle counters", ({ db, maintenance }, now, signal) =>
  deleteStaleThrottleCounters(db, maintenance.counterWindows, now, { ...maintenance.limits, signal }),
);

export const deleteDeliveredEmailsJob = sweepJob("delivered emails", ({ db, maintenance }, now, signal) =>
  deleteDeliveredEmails(db, maintenance.emailRetentionMs, now, { ...maintenance.limits, signal }),
);

export const deleteFinishedWebhookDeliveriesJob = sweepJob(
  "finished webhook deliveries",
  ({ db, maintenance }, now, signal) =>
    deleteFinishedWebhookDeliveries(db, maintenance.webhookRetentionMs, now, { ...maintenance.limits, signal }),
);

/** Does nothing unless `AUDIT_RETENTION_DAYS` is set. */
export const deleteOldAuditEventsJob = sweepJob("old audit events", ({ db, maintenance }, now, signal) =>
  maintenance.auditRetentionMs === null
    ? Promise.resolve(null)
    : deleteOldAuditEvents(db, maintenance.auditRetentionMs, now, { ...maintenance.limits, signal }),
);

/** Restores accounts whose suspension's end date has come (they may sign in before it runs). */
export const endElapsedSuspensionsJob = sweepJob("elapsed suspensions", ({ db, maintenance }, now, signal) =>
  endElapsedSuspensions(db, now, { ...maintenance.limits, signal }),
);
