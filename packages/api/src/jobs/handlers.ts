import { z } from "zod";
import { type JobName, jobDefinitions, jobNames } from "./definitions.ts";
import { deliverWebhookJob } from "./deliver-webhook.ts";
import { dispatchWebhooksJob } from "./dispatch-webhooks.ts";
import {
  deleteDeliveredEmailsJob,
  deleteExpiredChallengesJob,
  deleteExpiredSessionsJob,
  deleteFinishedWebhookDeliveriesJob,
  deleteOldAuditEventsJob,
  deleteStaleThrottleCountersJob,
  endElapsedSuspensionsJob,
} from "./maintenance-jobs.ts";
import { sendEmailJob } from "./send-email.ts";
import { sendPasswordResetJob } from "./send-password-reset.ts";
import type { JobDeps, JobHandlers } from "./types.ts";
import type { TaskHandler } from "./worker.ts";

/** Every job's handler, in one place: a job named in `definitions.ts` without one here does not compile. */
export function createJobHandlers(deps: JobDeps): JobHandlers {
  return {
    "email.send": sendEmailJob(deps),
    "webhooks.dispatch": dispatchWebhooksJob({ ...deps, dispatches: deps.webhookDispatches }),
    "webhooks.deliver": deliverWebhookJob(deps),
    "accounts.sendPasswordReset": sendPasswordResetJob(deps),
    "maintenance.deleteExpiredSessions": deleteExpiredSessionsJob(deps),
    "maintenance.deleteExpiredChallenges": deleteExpiredChallengesJob(deps),
    "maintenance.deleteStaleThrottleCounters": deleteStaleThrottleCountersJob(deps),
    "maintenance.deleteDeliveredEmails": deleteDeliveredEmailsJob(deps),
    "maintenance.deleteFinishedWebhookDeliveries": deleteFinishedWebhookDeliveriesJob(deps),
    "maintenance.deleteOldAuditEvents": deleteOldAuditEventsJob(deps),
    "maintenance.endElapsedSuspensions": endElapsedSuspensionsJob(deps),
  };
}

function validated<N extends JobName>(name: N, handler: JobHandlers[N]): TaskHandler {
  return async (payload, job) => {
    const parsed = jobDefinitions[name].payload.safeParse(payload);
    if (!parsed.success) {
      throw new Error(`job ${name} ${job.id} has an invalid payload: ${z.prettifyError(parsed.error)}`);
    }
    await (handler as TaskHandler)(parsed.data, job);
  };
}

/** The handlers as the worker runs them: each payload checked against its job's schema first. */
export function jobTasks(handlers: JobHandlers): Record<JobName, TaskHandler> {
  return Object.fromEntries(jobNames.map((name) => [name, validated(name, handlers[name])])) as Record<
    JobName,
    TaskHandler
  >;
}
