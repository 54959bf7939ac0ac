import { schema } from "@inkwell/db";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, type Harness, TEST_ORIGIN } from "../testing/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.database.sql`delete from email_messages`;
  await h.database.sql`delete from graphile_worker._private_jobs`;
});
afterAll(() => h.close());

async function writer() {
  const { user, token } = await h.signedIn();
  // A caller is one request: `me` reads a new one, as the next request would.
  return { user, call: await h.as({ bearer: token }), me: async () => (await h.as({ bearer: token })).auth.me() };
}

const emails = () =>
  h.database.db
    .select({
      id: schema.emailMessages.id,
      recipient: schema.emailMessages.recipient,
      subject: schema.emailMessages.subject,
      text: schema.emailMessages.textBody,
      html: schema.emailMessages.htmlBody,
      status: schema.emailMessages.status,
      template: schema.emailMessages.template,
    })
    .from(schema.emailMessages)
    .orderBy(schema.emailMessages.id);

/** The `email.send` jobs waiting, with their payloads (graphile-worker's private table holds them). */
const sendJobs = async () =>
  (
    await h.database.sql<{ payload: { messageId: number } }[]>`
      select payload from graphile_worker._private_jobs jobs
      join graphile_worker._private_tasks tasks on tasks.id = jobs.task_id
      where tasks.identifier = 'email.send' order by jobs.id`
  ).map((job) => job.payload);

describe("comment notifications", () => {
  it("email the article's author when someone else comments, in the comment's transaction", async () => {
    const author = await writer();
    const reader = await writer();
    const article = await author.call.articles.create({ title: "On queues", description: "d", body: "b" });
    await reader.call.comments.add({ slug: article.slug, body: "Which one did you pick?" });

    const [email, ...others] = await emails();
    expect(others).toEqual([]);
    expect(email).toMatchObject({
      recipient: author.user.email,
      subject: `${reader.user.username} commented on “On queues”`,
      status: "pending",
      template: "comment-notification",
    });
    expect(email?.text).toContain("> Which one did you pick?");
    expect(email?.text).toContain(`Turn these emails off: ${TEST_ORIGIN}/account`);
    expect(await sendJobs()).toEqual([{ messageId: email?.id }]);
  });

  it("do not email authors about their own comments", async () => {
    const author = await writer();
    const article = await author.call.articles.create({ title: "Mine", description: "d", body: "b" });
    await author.call.comments.add({ slug: article.slug, body: "A note to self" });
    expect(await emails()).toEqual([]);
    expect(await sendJobs()).toEqual([]);
  });

  it("stop when the author opts out on their profile (shown in auth.me), and start again when they opt in", async () => {
    const author = await writer();
    const reader = await writer();
    const article = await author.call.articles.create({ title: "Quiet", description: "d", body: "b" });
    expect((await author.me()).user.notifyOnComment).toBe(true);

    const updated = await author.call.auth.updateProfile({ notifyOnComment: false });
    expect(updated.notifyOnComment).toBe(false);
    expect((await author.me()).user.notifyOnComment).toBe(false);
    await reader.call.comments.add({ slug: article.slug, body: "Hello?" });
    expect(await emails()).toEqual([]);

    await author.call.auth.updateProfile({ notifyOnComment: true });
    await reader.call.comments.add({ slug: article.slug, body: "Hello again" });
    expect((await emails()).map((email) => email.recipient)).toEqual([author.user.email]);
  });

  it("refuses an opt-out that is not a boolean", async () => {
    const author = await writer();
    for (const value of ["false", 0, null]) {
      await expectTRPCError(
        author.call.auth.updateProfile({ notifyOnComment: value as unknown as boolean }),
        "BAD_REQUEST",
      );
    }
    expect((await author.me()).user.notifyOnComment).toBe(true);
  });

  it("do not email a suspended author", async () => {
    const author = await writer();
    const reader = await writer();
    const article = await author.call.articles.create({ title: "Gone", description: "d", body: "b" });
    await h.database.sql`update users set status = 'suspended' where id = ${author.user.id}`;
    await reader.call.comments.add({ slug: article.slug, body: "Anyone?" });
    expect(await emails()).toEqual([]);
  });

  it("leave no email and no job when the comment's transaction rolls back", async () => {
    const author = await writer();
    const reader = await writer();
    const article = await author.call.articles.create({ title: "Rolled back", description: "d", body: "b" });
    // The mutation's audit row is written last in its transaction: failing it fails the commit of everything before.
    await h.database.sql.unsafe(`
      create function refuse_comment_audit() returns trigger language plpgsql as $$
      begin raise exception 'audit refused'; end $$;
      create trigger refuse_comment_audit before insert on audit_events
      for each row when (new.action = 'comments.add' and new.details->>'outcome' = 'success')
      execute function refuse_comment_audit();`);
    try {
      await expectTRPCError(reader.call.comments.add({ slug: article.slug, body: "Lost" }), "INTERNAL_SERVER_ERROR");
    } finally {
      await h.database.sql.unsafe(
        "drop trigger refuse_comment_audit on audit_events; drop function refuse_comment_audit();",
      );
    }
    expect(await h.database.sql`select 1 from comments where body = 'Lost'`).toHaveLength(0);
    expect(await emails()).toEqual([]);
    expect(await sendJobs()).toEqual([]);
  });

  it("queue one email per comment when several arrive at once", async () => {
    const author = await writer();
    const article = await author.call.articles.create({ title: "Busy", description: "d", body: "b" });
    const readers = await Promise.all([writer(), writer(), writer()]);
    await Promise.all(readers.map((reader, i) => reader.call.comments.add({ slug: article.slug, body: `n${i}` })));
    const queued = await emails();
    expect(queued).toHaveLength(3);
    expect((await sendJobs()).map((job) => job.messageId).sort()).toEqual(queued.map((email) => email.id).sort());
  });
});
