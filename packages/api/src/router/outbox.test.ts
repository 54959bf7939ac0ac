import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, type Harness } from "../testing/harness.ts";

let h: Harness;
let admin: Awaited<ReturnType<Harness["as"]>>;
const ids: number[] = [];
beforeAll(async () => {
  h = await createHarness();
  admin = await h.as({ bearer: (await h.signedIn("admin")).token });
  for (let i = 1; i <= 5; i++) {
    const [row] = await h.database.sql<{ id: number }[]>`
      insert into email_messages (recipient, subject, text_body, html_body, template, status, attempts, last_error)
      values (${`r${i}@example.com`}, ${`Subject ${i}`}, ${`Text ${i}`}, ${`<p>${i}</p>`}, 'test',
              ${i === 5 ? "failed" : "kept"}, ${i === 5 ? 10 : 1}, ${i === 5 ? "550 no such user" : null})
      returning id::int`;
    ids.push(row?.id ?? 0);
  }
});
afterAll(() => h.close());

describe("outbox.list", () => {
  it("pages newest first with the total, recipient, subject, status and attempts, and no bodies", async () => {
    const first = await admin.outbox.list({ pageSize: 2 });
    expect(first).toMatchObject({ total: 5, page: 1, pageSize: 2 });
    expect(first.messages.map((m) => m.id)).toEqual([ids[4], ids[3]]);
    expect(first.messages[0]).toMatchObject({
      recipient: "r5@example.com",
      subject: "Subject 5",
      status: "failed",
      attempts: 10,
      lastError: "550 no such user",
      template: "test",
    });
    expect(first.messages[0]).not.toHaveProperty("textBody");
    expect(first.messages[0]).not.toHaveProperty("htmlBody");
    const third = await admin.outbox.list({ page: 3, pageSize: 2 });
    expect(third.messages.map((m) => m.id)).toEqual([ids[0]]);
    // Past the end: no rows, and still the total.
    expect(await admin.outbox.list({ page: 9, pageSize: 2 })).toMatchObject({ messages: [], total: 5 });
  });

  it("refuses pages it cannot serve", async () => {
    await expectTRPCError(admin.outbox.list({ page: 0 }), "BAD_REQUEST");
    await expectTRPCError(admin.outbox.list({ pageSize: 101 }), "BAD_REQUEST");
  });
});

describe("outbox.get", () => {
  it("opens one message with its text", async () => {
    expect(await admin.outbox.get({ id: ids[1] ?? 0 })).toMatchObject({ subject: "Subject 2", textBody: "Text 2" });
  });

  it("answers NOT_FOUND for a message that is not there, and BAD_REQUEST for a crafted id", async () => {
    const missing = await expectTRPCError(admin.outbox.get({ id: 999_999 }), "NOT_FOUND");
    expect(missing.message).toBe("No email 999999 in the outbox.");
    for (const id of [0, -3, 2 ** 53]) await expectTRPCError(admin.outbox.get({ id }), "BAD_REQUEST");
  });
});

describe("who may read the outbox", () => {
  it("admins and keys scoped outbox:read; not moderators or plain users", async () => {
    const moderator = await h.as({ bearer: (await h.signedIn("moderator")).token });
    await expectTRPCError(moderator.outbox.list({}), "FORBIDDEN");
    await expectTRPCError(moderator.outbox.get({ id: ids[0] ?? 0 }), "FORBIDDEN");
    const { key } = await admin.apiKeys.create({ name: "mail reader", scopes: ["outbox:read"] });
    expect((await (await h.as({ bearer: key })).outbox.list({})).total).toBe(5);
  });
});
