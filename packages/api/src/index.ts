import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./root.ts";

export { SESSION_COOKIE } from "./auth/cookies.ts";
export { type PresentedCredential, presentedCredential } from "./auth/credential.ts";
export type { Principal } from "./auth/principal.ts";
export { type AuthSettings, days, defaultAuthSettings, type ThrottlePolicy } from "./auth/settings.ts";
export { type ApiDeps, type Context, createContext, type RequestMeta } from "./context.ts";
export { createLinkBuilder, type LinkBuilder } from "./email/links.ts";
export { type EmailTransport, smtpTransport } from "./email/transport.ts";
export { CONCURRENT_CHANGE, DATABASE_UNAVAILABLE, isConcurrencyAbort } from "./errors.ts";
export { createIdentityProviders, type IdentityProviders } from "./identity/registry.ts";
export { type JobName, jobNames } from "./jobs/definitions.ts";
export { createJobHandlers, jobTasks } from "./jobs/handlers.ts";
export { cronItems, maintenanceSchedule, type ScheduledJob } from "./jobs/schedule.ts";
export type { EmailDelivery, JobDeps, JobHandlers, MaintenanceSettings, WebhookSettings } from "./jobs/types.ts";
export { askForDispatch, startDispatchListener, WebhookDispatches } from "./jobs/webhook-dispatches.ts";
export {
  type JobObserver,
  type JobOutcome,
  type JobRun,
  type JobWorker,
  type JobWorkerOptions,
  startJobWorker,
  type TaskHandler,
} from "./jobs/worker.ts";
export { findUnstorableText } from "./middleware/unstorable-text.ts";
export { type LiveEvents, startLiveEvents } from "./realtime/live-events.ts";
export { READ_AFTER_COOKIE, READ_AFTER_HEADER } from "./replicas/read-routing.ts";
export { type AppRouter, appRouter } from "./root.ts";
export { ensureInitialAdmin, type InitialAdminResult } from "./services/bootstrap.ts";
export { queueDepth, type TaskDepth } from "./services/job-admin.ts";
export { type EnqueuedJob, type EnqueueOptions, enqueueJob } from "./services/jobs.ts";
export { type CounterWindows, counterWindows } from "./services/maintenance.ts";
export { createCallerFactory, fromDatabaseError, type ProcedureMeta } from "./trpc.ts";

export { type AddressPolicy, addressPolicy } from "./webhooks/address-policy.ts";
export {
  type WebhookEvent,
  type WebhookEventData,
  type WebhookEventType,
  webhookEventSchemas,
  webhookEventTypes,
} from "./webhooks/events.ts";
export { closeWebhookConnections } from "./webhooks/outbound.ts";

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
