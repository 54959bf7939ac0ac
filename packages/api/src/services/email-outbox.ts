import { desc, type Executor, eq, schema } from "@inkwell/db";
import type { RenderedEmail } from "../email/message.ts";
import { NotFound } from "../errors.ts";
import { enqueueJob, JOB_PRIORITY } from "./jobs.ts";
import { offsetOf, pageTotal, splitTotal, totalRows } from "./paging.ts";

const m = schema.emailMessages;

/**
 * Records a rendered email and enqueues its `email.send` job, in `db`'s
 * transaction: the message exists, and will be sent, exactly when the change
 * that caused it commits. Account emails go first (someone is waiting for
 * them); pass `bulk` for notifications.
 */
export async function queueEmail(
  db: Executor,
  email: RenderedEmail,
  { priority = JOB_PRIORITY.interactive }: { priority?: number } = {},
): Promise<{ id: number }> {
  const [row] = await db
    .insert(m)
    .values({
      recipient: email.to,
      subject: email.subject,
      textBody: email.text,
      htmlBody: email.html,
      template: email.template,
    })
    .returning({ id: m.id });
  if (!row) throw new Error("insert returned no row");
  await enqueueJob(db, "email.send", { messageId: row.id }, { priority });
  return row;
}

const listColumns = {
  id: m.id,
  recipient: m.recipient,
  subject: m.subject,
  template: m.template,
  status: m.status,
  attempts: m.attempts,
  lastError: m.lastError,
  createdAt: m.createdAt,
  deliveredAt: m.deliveredAt,
};

/** One page of the outbox, newest first (ids follow creation), with the total counted in the same scan. */
export async function listOutbox(db: Executor, page: { page: number; pageSize: number }) {
  const rows = await db
    .select({ ...listColumns, total_rows: totalRows() })
    .from(m)
    .orderBy(desc(m.id))
    .limit(page.pageSize)
    .offset(offsetOf(page.page, page.pageSize));
  const { rows: messages, total } = splitTotal(rows);
  return { messages, total: await pageTotal(total, page.page, () => db.$count(m)) };
}

/** One message with its text part, for the operator who opens it. */
export async function getOutboxMessage(db: Executor, id: number) {
  const [row] = await db
    .select({ ...listColumns, textBody: m.textBody, updatedAt: m.updatedAt })
    .from(m)
    .where(eq(m.id, id));
  if (!row) throw new NotFound("email", `No email ${id} in the outbox.`);
  return row;
}
