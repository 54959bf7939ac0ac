import { createTestDatabase, type TestDatabase } from "@inkwell/db/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createLinkBuilder } from "../email/links.ts";
import { startJobWorker } from "../jobs/worker.ts";
import type { CommentedArticle } from "./comment-notifications.ts";
import { notifyAuthorOfComment } from "./comment-notifications.ts";
import { queueEmail } from "./email-outbox.ts";
import { enqueueJob } from "./jobs.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase({ maxConnections: 5 });
});
afterAll(() => database.drop());

const silent = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };
const links = createLinkBuilder(() => "http://inkwell.test");
const article: CommentedArticle = {
  title: "Busy article",
  authorId: 1,
  author: { username: "author", email: "author@example.com", notifyOnComment: true, status: "active" },
};

it("a backlog of comment notifications does not hold up account emails or webhook deliveries", async () => {
  // The backlog first: twenty notifications, then what people wait for, all queued before a worker starts.
  for (let i = 0; i < 20; i++) {
    const queued = await notifyAuthorOfComment(database.db, links, {
      article,
      commenter: { id: 2, username: `reader${i}` },
      body: `comment ${i}`,
    });
    expect(queued).toBe(true);
  }
  const reset = await queueEmail(database.db, {
    to: "someone@example.com",
    subject: "Reset your password",
    text: "link",
    html: "<p>link</p>",
    template: "password-reset",
  });
  await enqueueJob(database.db, "webhooks.deliver", { deliveryId: 1 });

  const order: string[] = [];
  const worker = await startJobWorker({
    connectionString: database.url,
    db: database.db,
    // One at a time, so the order is the queue's.
    concurrency: 1,
    tasks: {
      "email.send": async (payload) => {
        const { messageId } = payload as { messageId: number };
        order.push(messageId === reset.id ? "account email" : "notification");
      },
      "webhooks.deliver": async () => void order.push("webhook"),
    },
    logger: silent,
    heartbeatTimeoutMs: 30_000,
    drainMs: 1_000,
  });
  try {
    await expect.poll(() => order.length, { timeout: 15_000 }).toBe(22);
  } finally {
    await worker.stop();
  }
  expect(order.slice(0, 2)).toEqual(["account email", "webhook"]);
  expect(order.slice(2)).toEqual(Array(20).fill("notification"));
});
