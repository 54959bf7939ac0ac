import { afterEach, describe, expect, it } from "vitest";
import { comment, publish, register, signInToken, trpc } from "./testing/conduit.ts";
import { startTestServer, TEST_ADMIN, type TestServer } from "./testing/index.ts";
import { type SmtpReceiver, startSmtpReceiver } from "./testing/smtp-receiver.ts";

let server: TestServer | undefined;
let receiver: SmtpReceiver | undefined;
afterEach(async () => {
  await server?.close();
  await receiver?.close();
  server = undefined;
  receiver = undefined;
});

interface Row {
  id: number;
  recipient: string;
  status: string;
  attempts: number;
  last_error: string | null;
  delivered_at: string | null;
}

const rows = async (s: TestServer) =>
  s.database.sql<Row[]>`
    select id::int, recipient, status::text, attempts, last_error, delivered_at from email_messages order by id`;

/** An author, a reader, and the reader's comment on the author's article, all through the REST API. */
async function commentOnSomeonesArticle(url: string, body: string) {
  const author = await register(url, "author");
  const reader = await register(url, "reader");
  const slug = await publish(url, author, "Background work");
  await comment(url, reader, slug, body);
  return { author, reader, slug };
}

describe("email without SMTP", () => {
  it("keeps the message in the outbox, recorded with its status and attempt, and shows it to operators", async () => {
    server = await startTestServer();
    const { author } = await commentOnSomeonesArticle(server.url, "Kept, not sent.");
    await expect.poll(async () => (await rows(server as TestServer))[0]?.status, { timeout: 10_000 }).toBe("kept");
    const [row] = await rows(server);
    expect(row).toMatchObject({ recipient: author.email, attempts: 1, last_error: null });
    expect(row?.delivered_at).not.toBeNull();

    const token = await signInToken(server.url, TEST_ADMIN.email, TEST_ADMIN.password);
    const list = await trpc(server.url, "outbox.list", { token, input: {} });
    expect(list.status).toBe(200);
    expect(list.data).toMatchObject({
      total: 1,
      messages: [{ id: row?.id, recipient: author.email, status: "kept", attempts: 1 }],
    });
    const opened = await trpc(server.url, "outbox.get", { token, input: { id: row?.id } });
    expect((opened.data as { textBody: string }).textBody).toContain("> Kept, not sent.");

    // A plain user may not read other people's mail.
    const reader = await signInToken(server.url, "reader@example.com", "a long enough password");
    expect((await trpc(server.url, "outbox.list", { token: reader, input: {} })).status).toBe(403);
  });
});

describe("email through SMTP", () => {
  it("sends a text and an HTML part with the public link to the receiver, escaped, and records it sent", async () => {
    receiver = await startSmtpReceiver();
    server = await startTestServer({
      SMTP_URL: receiver.url,
      SMTP_FROM: "Inkwell <noreply@inkwell.test>",
      PUBLIC_URL: "https://inkwell.example.com",
    });
    const { author } = await commentOnSomeonesArticle(server.url, `<script>alert("hi")</script> & welcome`);
    await expect.poll(() => receiver?.accepted.length, { timeout: 10_000 }).toBe(1);
    const [mail] = receiver.accepted;
    expect(mail?.from?.text).toBe('"Inkwell" <noreply@inkwell.test>');
    expect(mail?.to && !Array.isArray(mail.to) ? mail.to.text : mail?.to).toBe(author.email);
    expect(mail?.subject).toBe("reader commented on “Background work”");
    expect(mail?.text).toContain(`> <script>alert("hi")</script> & welcome`);
    expect(mail?.text).toContain("Turn these emails off: https://inkwell.example.com/account");
    expect(mail?.html).toContain('<a href="https://inkwell.example.com/account"');
    expect(mail?.html).toContain("&lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt; &amp; welcome");
    expect(mail?.html).not.toContain("<script>");

    await expect.poll(async () => (await rows(server as TestServer))[0]?.status).toBe("sent");
    const [row] = await rows(server);
    expect(row).toMatchObject({ attempts: 1, last_error: null });
    expect(mail?.messageId).toMatch(new RegExp(`^<email-${row?.id}\\.\\d+@inkwell\\.example\\.com>$`));
  });

  it("retries a message the SMTP server refused, with the same Message-ID, and reports it in /metrics", async () => {
    receiver = await startSmtpReceiver();
    receiver.beforeAccept = async (_mail, arrival) => {
      if (arrival === 1) throw new Error("Mailbox busy, try again later");
    };
    server = await startTestServer({ SMTP_URL: receiver.url });
    await commentOnSomeonesArticle(server.url, "Second time lucky");

    await expect
      .poll(async () => (await rows(server as TestServer))[0]?.last_error, { timeout: 10_000 })
      .toMatch(/Mailbox busy/);
    expect((await rows(server))[0]).toMatchObject({ status: "pending", attempts: 1 });
    // graphile-worker's first backoff: exp(1) ≈ 2.7 s.
    await expect.poll(() => receiver?.accepted.length, { timeout: 15_000, interval: 100 }).toBe(1);
    expect(receiver.arrivals).toHaveLength(2);
    expect(receiver.arrivals[1]).toBe(receiver.arrivals[0]);
    await expect
      .poll(async () => (await rows(server as TestServer))[0])
      .toMatchObject({
        status: "sent",
        attempts: 2,
        last_error: null,
      });

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('inkwell_job_failures_total{task="email.send",final="false"} 1');
    expect(metrics).toContain('inkwell_job_retries_total{task="email.send"} 1');
    expect(metrics).toContain('inkwell_job_duration_seconds_count{task="email.send",outcome="succeeded"} 1');
    expect(metrics).toContain('inkwell_job_duration_seconds_count{task="email.send",outcome="failed"} 1');
    expect(metrics).toContain('inkwell_job_queue_depth{task="email.send",state="ready"} 0');
    expect(metrics).toContain('inkwell_job_queue_depth{task="maintenance.deleteExpiredSessions",state="failed"} 0');
  });

  it("marks a message failed after its last attempt and keeps the error", async () => {
    receiver = await startSmtpReceiver();
    receiver.beforeAccept = async () => {
      throw new Error("No such mailbox here");
    };
    server = await startTestServer({ SMTP_URL: receiver.url });
    const author = await register(server.url, "author");
    // One attempt only: the job's limit comes from its definition, lowered here as an operator could.
    await server.database.sql`
      insert into email_messages (recipient, subject, text_body, html_body, template) values
        (${author.email}, 'Once', 'text', '<p>html</p>', 'test')`;
    await server.database.sql`
      select graphile_worker.add_job('email.send', json_build_object('messageId', (select max(id) from email_messages)),
        max_attempts => 1)`;
    await expect.poll(async () => (await rows(server as TestServer))[0]?.status, { timeout: 10_000 }).toBe("failed");
    expect((await rows(server))[0]).toMatchObject({
      attempts: 1,
      last_error: expect.stringMatching(/No such mailbox/),
    });
  });
});
