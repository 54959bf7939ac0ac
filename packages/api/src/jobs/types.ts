import type { Database } from "@inkwell/db";
import type { AuthSettings } from "../auth/settings.ts";
import type { EmailTransport } from "../email/transport.ts";
import type { BatchLimits, CounterWindows } from "../services/maintenance.ts";
import type { JobName, JobPayload } from "./definitions.ts";
import type { JobRun, WorkerLogger } from "./worker.ts";

/** Runs one job; throwing fails this attempt (it is retried until `maxAttempts`). */
export type JobHandler<N extends JobName> = (payload: JobPayload<N>, job: JobRun) => Promise<void>;

/** One handler per job name: `handlers.ts` builds them. */
export type JobHandlers = { [N in JobName]: JobHandler<N> };

export interface EmailDelivery {
  /** An SMTP server (`SMTP_URL`); null keeps messages in the outbox. */
  transport: EmailTransport | null;
  /** The right-hand side of Message-IDs, e.g. the public URL's host. */
  messageIdDomain: string;
}

export interface MaintenanceSettings {
  sessions: Pick<AuthSettings, "sessionIdleTimeoutMs" | "sessionMaxAgeMs">;
  counterWindows: CounterWindows;
  /** Sent and kept emails are deleted this long after delivery (`EMAIL_RETENTION_DAYS`). */
  emailRetentionMs: number;
  /** Audit events older than this are deleted (`AUDIT_RETENTION_DAYS`); null keeps them forever. */
  auditRetentionMs: number | null;
  /** Tests move the clock. */
  now?: () => Date;
  limits?: Omit<BatchLimits, "signal">;
}

/** What handlers need, built once per process by the server (or `pnpm worker`). */
export interface JobDeps {
  db: Database;
  logger: WorkerLogger;
  email: EmailDelivery;
  maintenance: MaintenanceSettings;
}
