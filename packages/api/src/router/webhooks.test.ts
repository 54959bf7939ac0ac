import { openSecret } from "@inkwell/auth";
import { schema } from "@inkwell/db";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { addComment } from "../services/comments.ts";
import { claimAttempt, delivered, recordSuccesses } from "../services/webhook-attempts.ts";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, type Harness } from "../testing/harness.ts";

/** A user as `addComment` takes its author. */
const commenter = (user: { id: number; username: string }) => ({ ...user, bio: null, image: null });

let h: Harness;
let admin: Awaited<ReturnType<Harness["as"]>>;
/** Endpoint ids announced on the deliveries channel (sent when a transaction that recorded some commits). */
const announced: number[] = [];
beforeAll(async () => {
  h = await createHarness();
  await h.database.sql.listen(schema.WEBHOOK_DELIVERIES_CHANNEL, (payload) => announced.push(Number(payload)));
  admin = await h.as({ bearer: (await h.signedIn("admin")).token });
});
afterEach(async () => {
  announced.length = 0;
  await h.database.sql`delete from webhook_endpoints`;
  await h.database.sql`delete from graphile_worker._private_jobs`;
});
afterAll(() => h.close());

const deliveries = () =>
  h.database.sql<
    {
      id: number;
      endpoint_id: number;
      event_type: string;
      webhook_id: string;
      payload: { type: string; data: Record<string, unknown> };
    }[]
  >`
    select id::int, endpoint_id, event_type, webhook_id, payload from webhook_deliveries order by id`;

const deliverJobs = () =>
  h.database.sql<{ payload: { deliveryId: number }; key: string | null }[]>`
    select jobs.payload, jobs.key from graphile_worker._private_jobs jobs
    join graphile_worker._private_tasks tasks on tasks.id = jobs.task_id
    where tasks.identifier = 'webhooks.deliver' order by jobs.id`;

async function article(authorId: number, title = "Webhooks 101") {
  const [row] = await h.database.db
    .insert(schema.articles)
    .values({ slug: `a-${Math.random().toString(36).slice(2)}`, title, description: "d", body: "b", authorId })
    .returning();
  if (!row) throw new Error("no article");
  return row;
}

describe("who may manage webhooks", () => {
  it("admins only: users and moderators are refused every procedure, naming the permission", async () => {
    for (const role of ["user", "moderator"] as const) {
      const caller = await h.as({ bearer: (await h.signedIn(role)).token });
      const refused = await expectTRPCError(caller.webhooks.list(), "FORBIDDEN");
      expect(refused.message).toBe('You need the "webhooks:manage" permission to do this.');
      await expectTRPCError(
        caller.webhooks.create({ url: "https://example.com/h", events: ["user.created"] }),
        "FORBIDDEN",
      );
      await expectTRPCError(caller.webhooks.replay({ deliveryId: 1 }), "FORBIDDEN");
    }
    await expectTRPCError((await h.as()).webhooks.list(), "UNAUTHORIZED");
    expect(await h.database.sql`select 1 from webhook_endpoints`).toHaveLength(0);
  });
});

describe("webhooks.create and rotateSecret", () => {
  it("answers the secret once, in the Standard Webhooks form, and stores it sealed, never in plain text", async () => {
    const created = await admin.webhooks.create({
      url: "https://hooks.example.com/inkwell",
      events: ["comment.created", "article.published", "comment.created"],
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const secretBytes = Buffer.from(created.secret.slice("whsec_".length), "base64");
    expect(secretBytes).toHaveLength(32);
    expect(created.endpoint).toMatchObject({
      id: created.id,
      url: "https://hooks.example.com/inkwell",
      events: ["comment.created", "article.published"],
      enabled: true,
      consecutiveFailures: 0,
      disabledReason: null,
    });

    // Nothing lists it again.
    const listed = await admin.webhooks.list();
    expect(JSON.stringify(listed)).not.toContain(created.secret.slice(6));
    expect(listed).toEqual([expect.objectContaining({ id: created.id, pending: 0, lastDeliveryAt: null })]);
    expect(Object.keys(listed[0] ?? {})).not.toContain("sealedSecret");

    // In the database: sealed under the key, bound to the endpoint; the plain bytes appear nowhere in the row.
    const [row] = await h.database.sql<{ sealed_secret: Buffer; row: string }[]>`
      select sealed_secret, webhook_endpoints::text as row from webhook_endpoints where id = ${created.id}`;
    const sealed = new Uint8Array(row?.sealed_secret ?? []);
    expect(Buffer.from(sealed).includes(secretBytes)).toBe(false);
    expect(row?.row).not.toContain(created.secret.slice(6));
    expect(row?.row).not.toContain(secretBytes.toString("hex"));
    const key = h.deps.encryptionKey as Uint8Array;
    expect(Buffer.from(openSecret(key, sealed, `webhook:endpoint:${created.id}`))).toEqual(secretBytes);
    expect(() => openSecret(key, sealed, `webhook:endpoint:${created.id + 1}`)).toThrow(/does not open/);

    // Audited, with the URL and events and without the secret.
    const [event] = await h.database.sql<{ target_type: string; target_id: string; details: string }[]>`
      select target_type, target_id, details::text from audit_events where action = 'webhooks.create'`;
    expect(event).toMatchObject({ target_type: "webhookEndpoint", target_id: String(created.id) });
    expect(event?.details).toContain("https://hooks.example.com/inkwell");
    expect(event?.details).not.toContain(created.secret.slice(6));
  });

  it("rotates to a new secret, shown once, which signs from then on", async () => {
    const { id, secret } = await admin.webhooks.create({ url: "https://hooks.example.com/", events: ["user.created"] });
    const rotated = await admin.webhooks.rotateSecret({ id });
    expect(rotated.id).toBe(id);
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(secret);
    const [row] = await h.database.sql<{ sealed_secret: Buffer }[]>`select sealed_secret from webhook_endpoints`;
    const opened = openSecret(
      h.deps.encryptionKey as Uint8Array,
      new Uint8Array(row?.sealed_secret ?? []),
      `webhook:endpoint:${id}`,
    );
    expect(`whsec_${Buffer.from(opened).toString("base64")}`).toBe(rotated.secret);
    await expectTRPCError(admin.webhooks.rotateSecret({ id: id + 1000 }), "NOT_FOUND");
  });

  it("refuses URLs and events it cannot use, saying why", async () => {
    const bad: [unknown, RegExp][] = [
      [{ url: "ftp://example.com/", events: ["user.created"] }, /http:\/\/ or https:\/\//],
      [{ url: "javascript:alert(1)", events: ["user.created"] }, /http:\/\/ or https:\/\//],
      [{ url: "not a url", events: ["user.created"] }, /http:\/\/ or https:\/\//],
      [{ url: "https://user:pass@example.com/", events: ["user.created"] }, /credentials/],
      [{ url: "https://example.com/#frag", events: ["user.created"] }, /fragment/],
      [{ url: `https://example.com/${"a".repeat(2100)}`, events: ["user.created"] }, /2,048/],
      [{ url: "https://example.com/", events: [] }, /at least one event/],
      [{ url: "https://example.com/", events: ["user.deleted"] }, /Choose among/],
      [{ url: "https://example.com/\u0000", events: ["user.created"] }, /./],
    ];
    for (const [input, message] of bad) {
      const error = await expectTRPCError(admin.webhooks.create(input as never), "BAD_REQUEST");
      expect(JSON.stringify(error.message), JSON.stringify(input)).toMatch(message);
    }
    expect(await admin.webhooks.list()).toEqual([]);
  });

  it("is refused on a server without an encryption key, naming the variable", async () => {
    const keyless = await createHarness({}, { encryptionKey: null });
    try {
      const caller = await keyless.as({ bearer: (await keyless.signedIn("admin")).token });
      const refused = await expectTRPCError(
        caller.webhooks.create({ url: "https://example.com/", events: ["user.created"] }),
        "NOT_IMPLEMENTED",
      );
      expect(refused.message).toMatch(/ENCRYPTION_KEY/);
    } finally {
      await keyless.close();
    }
  });
});

describe("webhooks.update and delete", () => {
  it("changes URL and events, disables and enables (clearing why Inkwell disabled it), deletes with deliveries", async () => {
    const { id } = await admin.webhooks.create({ url: "https://a.example.com/", events: ["user.created"] });
    await h.database.sql`
      update webhook_endpoints set enabled = false, disabled_reason = 'Disabled by Inkwell: …', consecutive_failures = 5`;
    expect(
      await admin.webhooks.update({ id, url: "https://b.example.com/", events: ["user.suspended"] }),
    ).toMatchObject({
      url: "https://b.example.com/",
      events: ["user.suspended"],
      enabled: false,
      disabledReason: "Disabled by Inkwell: …",
    });
    expect(await admin.webhooks.update({ id, enabled: true })).toMatchObject({
      enabled: true,
      disabledReason: null,
      disabledAt: null,
      consecutiveFailures: 0,
    });
    expect(await admin.webhooks.update({ id, enabled: false })).toMatchObject({ enabled: false, disabledReason: null });
    await expectTRPCError(admin.webhooks.update({ id } as never), "BAD_REQUEST");
    await expectTRPCError(admin.webhooks.update({ id: 99_999, enabled: true }), "NOT_FOUND");

    await admin.webhooks.update({ id, enabled: true });
    await h.createUser();
    const author = await h.createUser();
    await (await h.as()).auth.signUp({ email: "new@example.com", username: "newbie", password: "a long password 1" });
    await admin.users.suspend({ userId: author.id });
    expect((await deliveries()).map((d) => d.event_type)).toEqual(["user.suspended"]);
    expect(await admin.webhooks.delete({ id })).toEqual({ deleted: id });
    expect(await deliveries()).toEqual([]);
    await expectTRPCError(admin.webhooks.delete({ id }), "NOT_FOUND");
    await expectTRPCError(admin.webhooks.deliveries({ endpointId: id }), "NOT_FOUND");
  });
});

describe("webhooks.delete under a race", () => {
  it("ten deletes of one endpoint at once, while a dispatch records its deliveries: one deletes, nine NOT_FOUND", async () => {
    const { id } = await admin.webhooks.create({ url: "https://hooks.example.com/", events: ["user.created"] });
    const deliveries = await h.database.db
      .insert(schema.webhookDeliveries)
      .values(
        Array.from({ length: 20 }, (_, i) => ({
          endpointId: id,
          webhookId: `msg_race_${i}_${Math.random().toString(36).slice(2)}`,
          eventType: "user.created",
          payload: { type: "user.created", data: {} },
        })),
      )
      .returning({ id: schema.webhookDeliveries.id });
    const claims = await Promise.all(deliveries.map((delivery) => claimAttempt(h.database.db, delivery.id)));
    const outcome = {
      ok: true,
      statusCode: 204,
      responseBody: "",
      error: null,
      url: "https://hooks.example.com/",
      durationMs: 1,
    };
    const recording = recordSuccesses(
      h.database.db,
      id,
      claims.map((claim) => {
        if (!claim) throw new Error("not claimed");
        return delivered(claim, outcome);
      }),
    );
    const deletes = await Promise.allSettled([
      recording,
      ...Array.from({ length: 10 }, () => admin.webhooks.delete({ id })),
    ]);
    expect(deletes[0]?.status).toBe("fulfilled");
    const answers = deletes.slice(1);
    expect(answers.filter((answer) => answer.status === "fulfilled").map((answer) => answer.value)).toEqual([
      { deleted: id },
    ]);
    for (const answer of answers.filter((answer) => answer.status === "rejected")) {
      expect(answer.reason).toMatchObject({ code: "NOT_FOUND" });
    }
    expect(await h.database.sql`select 1 from webhook_deliveries where endpoint_id = ${id}`).toHaveLength(0);
    const audited = await h.database.sql<{ outcome: string; n: number }[]>`
      select details->>'outcome' as outcome, count(*)::int as n from audit_events
      where action = 'webhooks.delete' and target_id = ${String(id)} group by 1 order by 1`;
    expect(audited).toEqual([
      { outcome: "failure", n: 9 },
      { outcome: "success", n: 1 },
    ]);
  });
});

describe("events, in the transaction of the change", () => {
  it("a committed change records one delivery per subscribed, enabled endpoint, with a job for each", async () => {
    const comments = await admin.webhooks.create({ url: "https://c.example.com/", events: ["comment.created"] });
    const everything = await admin.webhooks.create({
      url: "https://all.example.com/",
      events: [
        "article.published",
        "article.updated",
        "article.deleted",
        "comment.created",
        "user.created",
        "user.suspended",
      ],
    });
    const off = await admin.webhooks.create({ url: "https://off.example.com/", events: ["comment.created"] });
    await admin.webhooks.update({ id: off.id, enabled: false });

    const { user: writer, token } = await h.signedIn("user");
    const writerCalls = await h.as({ bearer: token });
    const created = await writerCalls.articles.create({
      title: "Hooks",
      description: "d",
      body: "b",
      tagList: ["z", "a"],
    });
    await writerCalls.comments.add({ slug: created.slug, body: "First!" });
    await writerCalls.articles.update({ slug: created.slug, description: "new" });
    await writerCalls.articles.delete({ slug: created.slug });

    const rows = await deliveries();
    expect(rows.map((row) => [row.endpoint_id, row.event_type])).toEqual([
      [everything.id, "article.published"],
      [comments.id, "comment.created"],
      [everything.id, "comment.created"],
      [everything.id, "article.updated"],
      [everything.id, "article.deleted"],
    ]);
    const published = rows[0]?.payload;
    expect(published).toEqual({
      type: "article.published",
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: {
        article: {
          id: created.id,
          slug: created.slug,
          title: "Hooks",
          description: "d",
          tagList: ["a", "z"],
          author: { id: writer.id, username: writer.username },
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
        },
      },
    });
    expect(rows[1]?.payload.data).toEqual({
      comment: {
        id: expect.any(Number),
        body: "First!",
        author: { id: writer.id, username: writer.username },
        createdAt: expect.any(String),
      },
      article: { id: created.id, slug: created.slug, title: "Hooks" },
    });
    expect(rows[3]?.payload.data.article).toMatchObject({ description: "new" });
    expect(rows[4]?.payload.data).toEqual({
      article: { id: created.id, slug: created.slug, title: "Hooks" },
      deletedBy: "author",
    });
    // Distinct webhook-ids; no job per delivery: each committed change announced its endpoint, for a dispatch.
    expect(new Set(rows.map((row) => row.webhook_id)).size).toBe(rows.length);
    expect(rows.every((row) => /^msg_[A-Za-z0-9_-]{22}$/.test(row.webhook_id))).toBe(true);
    expect(await deliverJobs()).toEqual([]);
    const endpointIds = new Set(rows.map((row) => row.endpoint_id));
    await expect.poll(() => announced.filter((endpointId) => endpointIds.has(endpointId)).length).toBe(rows.length);
  });

  it("sign-ups, suspensions and moderators' deletions are events too", async () => {
    const { id } = await admin.webhooks.create({
      url: "https://all.example.com/",
      events: ["article.deleted", "user.created", "user.suspended"],
    });
    await (await h.as()).auth.signUp({
      email: "joiner@example.com",
      username: "joiner",
      password: "a long password 1",
    });
    const [joiner] = await h.database.sql<{ id: number }[]>`select id from users where username = 'joiner'`;
    await admin.users.suspend({ userId: joiner?.id as number });
    const gone = await article(joiner?.id as number, "Spam");
    await admin.moderation.articles.delete({ ids: [gone.id] });
    const rows = await deliveries();
    expect(rows.map((row) => [row.endpoint_id, row.payload.type, row.payload.data])).toEqual([
      [
        id,
        "user.created",
        { user: { id: joiner?.id, username: "joiner", email: "joiner@example.com", createdAt: expect.any(String) } },
      ],
      [id, "user.suspended", { user: { id: joiner?.id, username: "joiner" } }],
      [id, "article.deleted", { article: { id: gone.id, slug: gone.slug, title: "Spam" }, deletedBy: "moderator" }],
    ]);
  });

  it("a rolled-back change records and enqueues nothing", async () => {
    const endpoint = await admin.webhooks.create({
      url: "https://c.example.com/",
      events: ["comment.created", "user.created"],
    });
    // Notifications of earlier tests' changes may still arrive: only this endpoint's count.
    const announcedHere = () => announced.filter((endpointId) => endpointId === endpoint.id);
    const author = await h.createUser();
    const target = await article(author.id);
    await expect(
      h.database.db.transaction(async (tx) => {
        await addComment(tx, commenter(author), target, "Never happened");
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    // A sign-up that fails after the user row (the username is taken, case-insensitively) delivers nothing either.
    await (await h.as()).auth.signUp({ email: "first@example.com", username: "Taken", password: "a long password 1" });
    const before = (await deliveries()).length;
    await expectTRPCError(
      (await h.as()).auth.signUp({ email: "second@example.com", username: "taken", password: "a long password 1" }),
      "CONFLICT",
    );
    const rows = await deliveries();
    expect(rows).toHaveLength(before);
    expect(rows.map((row) => row.event_type)).toEqual(["user.created"]);
    expect(await h.database.sql`select 1 from comments where body = 'Never happened'`).toHaveLength(0);
    // Only the sign-up that committed was announced.
    await expect.poll(() => announcedHere().length).toBe(1);
    await h.database.sql`select 1`;
    expect(announcedHere()).toHaveLength(1);
    expect(await deliverJobs()).toEqual([]);
  });

  it("with no endpoint subscribed, a change costs one read and no payload", async () => {
    await admin.webhooks.create({ url: "https://c.example.com/", events: ["user.suspended"] });
    const author = await h.createUser();
    const target = await article(author.id);
    const { statements } = await h.recordQueries(() => addComment(h.database.db, commenter(author), target, "quiet"));
    expect(statements.filter((statement) => statement.includes("webhook"))).toHaveLength(1);
    expect(await deliveries()).toEqual([]);
  });
});

describe("webhooks.deliveries and replay", () => {
  async function endpointWithDeliveries(count: number) {
    const { id, secret } = await admin.webhooks.create({ url: "https://c.example.com/", events: ["comment.created"] });
    const author = await h.createUser();
    const target = await article(author.id);
    for (let i = 0; i < count; i++) await addComment(h.database.db, commenter(author), target, `comment ${i}`);
    return { id, secret };
  }

  it("pages newest first with attempts in order, and filters by status", async () => {
    const { id } = await endpointWithDeliveries(5);
    const rows = await deliveries();
    const first = rows[0]?.id as number;
    await h.database.sql`
      insert into webhook_attempts (delivery_id, number, url, finished_at, duration_ms, status_code, response_body, error)
      values (${first}, 2, 'https://c.example.com/', now(), 12, 200, 'ok', null),
             (${first}, 1, 'https://c.example.com/', now(), 10000, null, null, 'no answer within 10 s')`;
    await h.database.sql`update webhook_deliveries set status = 'succeeded', attempts = 2 where id = ${first}`;

    const page1 = await admin.webhooks.deliveries({ endpointId: id, limit: 3 });
    expect(page1.deliveries.map((d) => d.id)).toEqual(
      rows
        .slice(2)
        .map((r) => r.id)
        .reverse(),
    );
    expect(page1.nextCursor).toBe(rows[2]?.id);
    const page2 = await admin.webhooks.deliveries({ endpointId: id, limit: 3, cursor: page1.nextCursor as number });
    expect(page2.deliveries.map((d) => d.id)).toEqual([rows[1]?.id, first]);
    expect(page2.nextCursor).toBeNull();
    expect(page2.deliveries[1]?.attemptList.map((a) => [a.number, a.statusCode, a.error])).toEqual([
      [1, null, "no answer within 10 s"],
      [2, 200, null],
    ]);
    expect(
      (await admin.webhooks.deliveries({ endpointId: id, status: "succeeded" })).deliveries.map((d) => d.id),
    ).toEqual([first]);
    await expectTRPCError(admin.webhooks.deliveries({ endpointId: id, cursor: -1 }), "BAD_REQUEST");
    await expectTRPCError(admin.webhooks.deliveries({ endpointId: id, limit: 101 }), "BAD_REQUEST");
  });

  it("replays a dead delivery with the same webhook-id and a fresh schedule; refuses a running one or a disabled endpoint", async () => {
    const { id } = await endpointWithDeliveries(1);
    const [delivery] = await deliveries();
    const deliveryId = delivery?.id as number;
    await h.database.sql`delete from graphile_worker._private_jobs`;
    await h.database
      .sql`update webhook_deliveries set status = 'dead', attempts = 9, next_attempt_at = null, finished_at = now()`;

    const replayed = await admin.webhooks.replay({ deliveryId });
    expect(replayed).toMatchObject({ id: deliveryId, webhookId: delivery?.webhook_id, previousStatus: "dead" });
    const [row] = await h.database.sql`select status::text, attempts, finished_at from webhook_deliveries`;
    expect(row).toEqual({ status: "pending", attempts: 0, finished_at: null });
    expect(await deliverJobs()).toEqual([{ payload: { deliveryId }, key: `webhooks.deliver:${deliveryId}` }]);

    // Replaying again while it waits: still one job.
    await admin.webhooks.replay({ deliveryId });
    expect(await deliverJobs()).toHaveLength(1);

    await h.database.sql`update graphile_worker._private_jobs set locked_at = now(), locked_by = 'elsewhere'`;
    const running = await expectTRPCError(admin.webhooks.replay({ deliveryId }), "CONFLICT");
    expect(running.message).toMatch(/being attempted right now/);

    // An attempt a dispatch on a live worker pool has not finished is in flight too; on a silent pool it is not.
    await h.database.sql`delete from graphile_worker._private_jobs`;
    await h.database.sql`insert into job_worker_heartbeats (pool_id, process) values ('pool-live', 'test:1')`;
    await h.database.sql`
      insert into webhook_attempts (delivery_id, number, url, pool_id) values (${deliveryId}, 1, 'https://c.example.com/', 'pool-live')`;
    await expectTRPCError(admin.webhooks.replay({ deliveryId }), "CONFLICT");
    await h.database.sql`delete from job_worker_heartbeats where pool_id = 'pool-live'`;
    await admin.webhooks.replay({ deliveryId });

    await admin.webhooks.update({ id, enabled: false });
    expect((await expectTRPCError(admin.webhooks.replay({ deliveryId }), "CONFLICT")).message).toMatch(/disabled/);
    await expectTRPCError(admin.webhooks.replay({ deliveryId: 987_654 }), "NOT_FOUND");
    const [audit] = await h.database.sql`
      select target_type, details->>'previousStatus' as previous from audit_events
      where action = 'webhooks.replay' and details->>'outcome' = 'success' order by id limit 1`;
    expect(audit).toEqual({ target_type: "webhookDelivery", previous: "dead" });
  });

  it("signs with a secret the standardwebhooks package verifies", async () => {
    // The signing helper and the package agree (the end-to-end tests verify real deliveries).
    const { signedHeaders } = await import("../webhooks/signing.ts");
    const { secret } = await admin.webhooks.create({ url: "https://c.example.com/", events: ["user.created"] });
    const body = JSON.stringify({ type: "user.created", timestamp: new Date().toISOString(), data: {} });
    const headers = signedHeaders(secret, "msg_abc", body, new Date());
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow(/No matching signature/);
  });
});
