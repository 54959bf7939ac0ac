import { eq, schema } from "@inkwell/db";
import { createTestDatabase, type TestDatabase } from "@inkwell/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queueEmail } from "../services/email-outbox.ts";
import { sendEmailJob } from "./send-email.ts";
import type { JobRun } from "./worker.ts";

const m = schema.emailMessages;

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase({ maxConnections: 10 });
});
afterAll(() => database?.drop());

const run = (attempt: number): JobRun => ({
  id: "1",
  name: "email.send",
  attempt,
  maxAttempts: 5,
  key: null,
  poolId: "pool-test",
  signal: new AbortController().signal,
});

const queued = () =>
  queueEmail(database.db, {
    to: "reader@example.com",
    subject: "Hello",
    text: "Hello.",
    html: "<p>Hello.</p>",
    template: "comment-notification",
  });

const row = async (id: number) => {
  const [message] = await database.db
    .select({ status: m.status, attempts: m.attempts, deliveredAt: m.deliveredAt })
    .from(m)
    .where(eq(m.id, id));
  return message;
};

/** The job as a process without `SMTP_URL` runs it. */
const keeper = () => sendEmailJob({ db: database.db, email: { transport: null, messageIdDomain: "example.com" } });

describe("email.send without an SMTP server", () => {
  it("keeps a message once, however many runs of its job arrive at once (at-least-once delivery)", async () => {
    const send = keeper();
    const { id } = await queued();
    await Promise.all(Array.from({ length: 8 }, (_, i) => send({ messageId: id }, run(i + 1))));
    expect(await row(id)).toEqual({ status: "kept", attempts: 1, deliveredAt: expect.any(Date) });
  });

  it("leaves a message that is no longer pending alone", async () => {
    const send = keeper();
    const { id } = await queued();
    const deliveredAt = new Date("2026-01-02T03:04:05Z");
    await database.db.update(m).set({ status: "sent", attempts: 2, deliveredAt }).where(eq(m.id, id));
    await send({ messageId: id }, run(3));
    expect(await row(id)).toEqual({ status: "sent", attempts: 2, deliveredAt });
  });
});
