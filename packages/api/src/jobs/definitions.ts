import { z } from "zod";

/**
 * Every job Inkwell runs, by name: the payload it carries and how many attempts
 * it gets before it stays failed (shown on the admin console's Jobs page).
 * `enqueueJob` validates payloads against these schemas, and the worker
 * validates them again before a handler runs. Handlers are registered in
 * `handlers.ts`, one per name (the compiler insists); recurring jobs are
 * scheduled in `schedule.ts`.
 *
 * To add a job: a name and payload schema here, a handler in `handlers.ts`,
 * and `enqueueJob(db, name, payload)` in the service whose change causes it.
 */
export interface JobDefinition {
  payload: z.ZodType;
  /** Attempts before the job stays failed; graphile-worker waits exp(min(attempt, 10)) seconds between them. */
  maxAttempts: number;
}

/** Scheduled jobs carry no payload of their own (the scheduler adds `_cron`, which is dropped). */
const noPayload = z.object({});

export const jobDefinitions = {
  /** Sends (or keeps, without SMTP) one row of `email_messages`. */
  "email.send": {
    payload: z.object({ messageId: z.number().int().positive() }),
    // exp(1..9) s between attempts: about six hours in all before the message is marked failed.
    maxAttempts: 10,
  },
  /**
   * An endpoint's new deliveries, sent in batches (`dispatch-webhooks.ts`); at most one waits per endpoint.
   * Its attempts only cover the job failing itself: deliveries it claimed are taken up again by the next one.
   */
  "webhooks.dispatch": {
    payload: z.object({ endpointId: z.number().int().positive() }),
    maxAttempts: 25,
  },
  /**
   * One attempt at a webhook delivery: a retry or a replay. Its retries follow the delivery's own
   * schedule (the handler enqueues the next attempt); these attempts only
   * cover the job failing itself (the database away, the process killed).
   */
  "webhooks.deliver": {
    payload: z.object({ deliveryId: z.number().int().positive() }),
    maxAttempts: 5,
  },
  /** Emails a password reset link to the account with this address, if there is one (`auth.requestPasswordReset`). */
  "accounts.sendPasswordReset": {
    payload: z.object({ email: z.string().min(1).max(254) }),
    maxAttempts: 5,
  },
  "maintenance.deleteExpiredSessions": { payload: noPayload, maxAttempts: 3 },
  "maintenance.deleteExpiredChallenges": { payload: noPayload, maxAttempts: 3 },
  "maintenance.deleteStaleThrottleCounters": { payload: noPayload, maxAttempts: 3 },
  "maintenance.deleteDeliveredEmails": { payload: noPayload, maxAttempts: 3 },
  "maintenance.deleteFinishedWebhookDeliveries": { payload: noPayload, maxAttempts: 3 },
  "maintenance.deleteOldAuditEvents": { payload: noPayload, maxAttempts: 3 },
  "maintenance.endElapsedSuspensions": { payload: noPayload, maxAttempts: 3 },
} as const satisfies Record<string, JobDefinition>;

export type JobName = keyof typeof jobDefinitions;

/** What `enqueueJob` accepts for a job (defaults may be left out). */
export type JobPayloadInput<N extends JobName> = z.input<(typeof jobDefinitions)[N]["payload"]>;

/** What a handler receives, after validation. */
export type JobPayload<N extends JobName> = z.output<(typeof jobDefinitions)[N]["payload"]>;

export const jobNames = Object.keys(jobDefinitions) as JobName[];

export function isJobName(value: string): value is JobName {
  return Object.hasOwn(jobDefinitions, value);
}
