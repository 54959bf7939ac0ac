import { asc, eq, schema } from "@inkwell/db";
import { defaultAuthSettings } from "../auth/settings.ts";
import type { JobName } from "../jobs/definitions.ts";
import { createJobHandlers, jobTasks } from "../jobs/handlers.ts";
import { WebhookDispatches } from "../jobs/webhook-dispatches.ts";
import { counterWindows } from "../services/maintenance.ts";
import { addressPolicy } from "../webhooks/address-policy.ts";
import type { Harness } from "./harness.ts";

const m = schema.emailMessages;

/** The emails recorded so far, oldest first, as the outbox keeps them. */
export function outbox(h: Harness, recipient?: string) {
  return h.database.db
    .select({
      id: m.id,
      recipient: m.recipient,
      subject: m.subject,
      text: m.textBody,
      html: m.htmlBody,
      template: m.template,
    })
    .from(m)
    .where(recipient === undefined ? undefined : eq(m.recipient, recipient))
    .orderBy(asc(m.id));
}

/**
 * The token of the link in an email's text part (`…/<path>?token=…`): read
 * from what was sent, never from the database's token table (which holds hashes only).
 */
export function linkToken(text: string, path: "/verify-email" | "/reset-password" | "/accept-invite"): string {
  const match = new RegExp(`https?://\\S+${path}\\?token=([a-z2-7]+)`).exec(text);
  if (!match?.[1]) throw new Error(`no ${path} link in:\n${text}`);
  return match[1];
}

/** The token of the newest email to `recipient` with a link to `path`. */
export async function tokenFromOutbox(
  h: Harness,
  recipient: string,
  path: "/verify-email" | "/reset-password" | "/accept-invite",
) {
  const emails = (await outbox(h, recipient)).filter((email) => email.text.includes(`${path}?token=`));
  const newest = emails.at(-1);
  if (!newest) throw new Error(`no email to ${recipient} links to ${path}`);
  return linkToken(newest.text, path);
}

/** Jobs of `name` waiting in the queue, with their payloads. */
export async function queuedJobs(h: Harness, name: JobName) {
  return h.database.sql<{ id: string; payload: unknown }[]>`
    select jobs.id::text as id, jobs.payload from graphile_worker._private_jobs jobs
    join graphile_worker._private_tasks tasks on tasks.id = jobs.task_id
    where tasks.identifier = ${name} and jobs.locked_at is null order by jobs.id`;
}

/**
 * Runs the waiting jobs of `name` once each through the real handlers (as the
 * worker would, payload validation included), then removes them from the
 * queue. Returns how many ran.
 */
export async function runQueuedJobs(h: Harness, name: JobName): Promise<number> {
  const tasks = jobTasks(
    createJobHandlers({
      db: h.database.db,
      logger: { ...console, debug: () => {}, info: () => {} },
      email: { transport: null, messageIdDomain: "inkwell.test" },
      links: h.deps.links,
      maintenance: {
        sessions: defaultAuthSettings,
        counterWindows: counterWindows(defaultAuthSettings, 60_000),
        emailRetentionMs: 0,
        webhookRetentionMs: 0,
        auditRetentionMs: null,
      },
      webhooks: {
        encryptionKey: null,
        policy: addressPolicy([]),
        timeoutMs: 1_000,
        retryDelaysMs: [],
        disableAfterDead: 0,
      },
      // Dispatches are asked for by the queue here, not by notifications.
      webhookDispatches: new WebhookDispatches(async () => {}),
    }),
  );
  const jobs = await queuedJobs(h, name);
  for (const job of jobs) {
    await tasks[name](job.payload, {
      id: job.id,
      name,
      attempt: 1,
      maxAttempts: 1,
      key: null,
      poolId: "test",
      signal: new AbortController().signal,
    });
    await h.database.sql`delete from graphile_worker._private_jobs where id = ${job.id}::bigint`;
  }
  return jobs.length;
}
