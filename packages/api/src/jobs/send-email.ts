import { and, eq, schema, sql } from "@inkwell/db";
import type { JobDeps, JobHandler } from "./types.ts";

const m = schema.emailMessages;

/** Errors are kept for operators, not whole transcripts. */
const ERROR_CHARACTERS = 2_000;

/**
 * Sends one `email_messages` row through SMTP, or keeps it (status `kept`)
 * when no SMTP server is configured. Runs at least once: a message the SMTP
 * server took just before this process died is sent again, with the same
 * Message-ID, so a receiver can drop the copy. A message no longer `pending`
 * (already sent or kept by an earlier attempt) is left alone.
 */
export function sendEmailJob(deps: Pick<JobDeps, "db" | "email">): JobHandler<"email.send"> {
  const { db, email } = deps;
  return async ({ messageId }, job) => {
    const pending = and(eq(m.id, messageId), eq(m.status, "pending"));
    if (!email.transport) {
      await db
        .update(m)
        .set({ attempts: sql`${m.attempts} + 1`, status: "kept", deliveredAt: new Date(), lastError: null })
        .where(pending);
      return;
    }
    const [message] = await db
      .update(m)
      .set({ attempts: sql`${m.attempts} + 1` })
      .where(pending)
      .returning();
    if (!message) return;
    try {
      await email.transport.send({
        to: message.recipient,
        subject: message.subject,
        text: message.textBody,
        html: message.htmlBody,
        messageId: `<email-${message.id}.${message.createdAt.getTime()}@${email.messageIdDomain}>`,
      });
    } catch (error) {
      const lastError = (error instanceof Error ? error.message : String(error)).slice(0, ERROR_CHARACTERS);
      const final = job.attempt >= job.maxAttempts;
      await db
        .update(m)
        .set({ lastError, status: final ? "failed" : "pending" })
        .where(eq(m.id, message.id));
      throw error;
    }
    await db.update(m).set({ status: "sent", deliveredAt: new Date(), lastError: null }).where(eq(m.id, message.id));
  };
}
