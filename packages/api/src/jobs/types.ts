import type { Database } from "@inkwell/db";
import type { AuthSettings } from "../auth/settings.ts";
import type { LinkBuilder } from "../email/links.ts";
import type { EmailTransport } from "../email/transport.ts";
import type { BatchLimits, CounterWindows } from "../services/maintenance.ts";
import type { AddressPolicy } from "../webhooks/address-policy.ts";
import type { JobName, JobPayload } from "./definitions.ts";
import type { WebhookDispatches } from "./webhook-dispatches.ts";
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
  /** Succeeded and dead webhook deliveries are deleted this long after they finished (`WEBHOOK_RETENTION_DAYS`). */
  webhookRetentionMs: number;
  /** Audit events older than this are deleted (`AUDIT_RETENTION_DAYS`); null keeps them forever. */
  auditRetentionMs: number | null;
  /** Tests move the clock. */
  now?: () => Date;
  limits?: Omit<BatchLimits, "signal">;
}

export interface WebhookSettings {
  /** Opens endpoints' signing secrets (`ENCRYPTION_KEY`); null: every attempt fails, saying why. */
  encryptionKey: Uint8Array | null;
  /** What deliveries may reach (`WEBHOOK_ALLOWED_HOSTS`). */
  policy: AddressPolicy;
  /** One attempt, redirects included (`WEBHOOK_TIMEOUT_MS`). */
  timeoutMs: number;
  /** Waits between attempts before jitter (`WEBHOOK_RETRY_DELAYS`). */
  retryDelaysMs: readonly number[];
  /** Dead deliveries in a row that disable an endpoint (`WEBHOOK_DISABLE_AFTER_DEAD`); 0: never. */
  disableAfterDead: number;
  /** Tests resolve host names their own way (e.g. a name that resolves to 10.0.0.1). */
  resolve?: (host: string) => Promise<{ address: string; family: number }[]>;
}

/** What handlers need, built once per process by the server (or `pnpm worker`). */
export interface JobDeps {
  db: Database;
  logger: WorkerLogger;
  email: EmailDelivery;
  /** Absolute links for the emails jobs write (on `PUBLIC_URL`). */
  links: LinkBuilder;
  maintenance: MaintenanceSettings;
  webhooks: WebhookSettings;
  /** This process's dispatches and the notifications that ask for them (`startDispatchListener`). */
  webhookDispatches: WebhookDispatches;
}
