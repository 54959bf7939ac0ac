import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { register, signInToken, trpc } from "./testing/conduit.ts";
import { startTestServer, TEST_ADMIN, type TestServer } from "./testing/index.ts";

/**
 * Operators' once-only actions as an attacker sends them over HTTP: the same
 * call several times in one tRPC batch (tRPC runs a batch's calls at once),
 * and two callers at once. Each call of a batch is its own transaction, so
 * the database's locks, not the order of the batch, must decide.
 */

let server: TestServer;
let adminToken: string;
let moderatorToken: string;
beforeAll(async () => {
  server = await startTestServer();
  adminToken = await signInToken(server.url, TEST_ADMIN.email, TEST_ADMIN.password);
  const created = await trpc(server.url, "users.create", {
    mutation: true,
    token: adminToken,
    input: {
      username: "batch_mod",
      email: "batch_mod@example.com",
      role: "moderator",
      password: "moderator password 1",
    },
  });
  expect(created.status, created.error).toBe(200);
  moderatorToken = await signInToken(server.url, "batch_mod@example.com", "moderator password 1");
});
afterAll(() => server?.close());

interface BatchAnswer {
  result?: { data: { json: unknown } };
  error?: { json: { message: string; data: { code: string; httpStatus: number } } };
}

/** One POST to /trpc carrying `calls` as a batch; the answers in order. */
async function batch(calls: { path: string; input: unknown }[], token?: string): Promise<BatchAnswer[]> {
  const body = Object.fromEntries(calls.map((call, i) => [i, { json: call.input }]));
  const response = await fetch(`${server.url}/trpc/${calls.map((call) => call.path).join(",")}?batch=1`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const answers = (await response.json()) as BatchAnswer[];
  expect(answers).toHaveLength(calls.length);
  return answers;
}

const codes = (answers: BatchAnswer[]) => answers.map((answer) => answer.error?.json.data.code ?? "OK");

/** The token of the newest invitation to `email`, read from the outbox as it was sent. */
async function invitationToken(email: string): Promise<string> {
  const [message] = await server.database.sql<{ text_body: string }[]>`
    select text_body from email_messages where recipient = ${email} and template = 'invitation'
    order by id desc limit 1`;
  const token = /\/accept-invite\?token=([a-z2-7]+)/.exec(message?.text_body ?? "")?.[1];
  if (!token) throw new Error(`no invitation to ${email}`);
  return token;
}

async function publishedIds(title: string, count: number): Promise<number[]> {
  const writer = await register(server.url, `w${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`);
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${server.url}/api/articles`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Token ${writer.token}` },
      body: JSON.stringify({ article: { title: `${title} ${i}`, description: "d", body: "b", tagList: [] } }),
    });
    expect(response.status).toBeLessThan(300);
  }
  const rows = await server.database.sql<{ id: number }[]>`
    select articles.id from articles join users on users.id = articles.author_id
    where users.username = ${writer.username} order by articles.id`;
  return rows.map((row) => row.id);
}

/** Articles published and hidden by the admin in one action, with that action's id (what undo takes). */
async function hiddenArticles(title: string, count: number): Promise<{ ids: number[]; actionId: string }> {
  const ids = await publishedIds(title, count);
  const hidden = await trpc(server.url, "moderation.articles.hide", {
    mutation: true,
    token: adminToken,
    input: { ids },
  });
  return { ids, actionId: (hidden.data as { actionId: string }).actionId };
}

async function moderationOf(ids: number[]) {
  return server.database.sql<{ moderation: string; moderation_action_id: string | null }[]>`
    select moderation, moderation_action_id from articles where id = any(${ids}::int[]) order by id`;
}

describe("an invitation link sent several times in one tRPC batch", () => {
  it("sets the password once: one call succeeds, the others are refused, and only that password signs in", async () => {
    const email = "batched_invite@example.com";
    const invited = await trpc(server.url, "users.invite", {
      mutation: true,
      token: adminToken,
      input: { username: "batched_invite", email },
    });
    expect(invited.status, invited.error).toBe(200);
    const token = await invitationToken(email);
    const passwords = ["first batched password", "second batched password", "third batched password"];
    const answers = await batch(
      passwords.map((password) => ({ path: "auth.resetPassword", input: { token, password } })),
    );

    expect(codes(answers).sort()).toEqual(["BAD_REQUEST", "BAD_REQUEST", "OK"]);
    const won = passwords[answers.findIndex((answer) => answer.result)] as string;
    await signInToken(server.url, email, won);
    for (const lost of passwords.filter((password) => password !== won)) {
      const refused = await trpc(server.url, "auth.signIn", {
        mutation: true,
        input: { email, password: lost, session: "token" },
      });
      expect(refused.status).toBe(401);
    }
  });
});

describe("undoHide and hideMatching in one tRPC batch, and from two callers at once", () => {
  it("the same undo twice in one batch restores once; the other is NOT_FOUND", async () => {
    const { ids, actionId } = await hiddenArticles("Undo batch", 3);
    const answers = await batch(
      [0, 1].map(() => ({ path: "moderation.articles.undoHide", input: { actionId } })),
      adminToken,
    );
    expect(codes(answers).sort()).toEqual(["NOT_FOUND", "OK"]);
    expect(answers.find((answer) => answer.result)?.result?.data.json).toEqual({ affected: ids });
    expect((await moderationOf(ids)).every((row) => row.moderation === "visible")).toBe(true);
  });

  it("an undo and a hideMatching of the same rows in one batch leave every row as one of them left it", async () => {
    const title = `Matching batch ${Date.now().toString(36)}`;
    const { ids, actionId } = await hiddenArticles(title, 4);
    const answers = await batch(
      [
        { path: "moderation.articles.undoHide", input: { actionId } },
        { path: "moderation.articles.hideMatching", input: { filter: { search: title }, reason: "batched" } },
      ],
      adminToken,
    );
    expect(codes(answers)).toEqual(["OK", "OK"]);
    expect(answers[0]?.result?.data.json).toEqual({ affected: ids });
    const states = await moderationOf(ids);
    // Whichever committed last decided, for all four rows alike: never a mix.
    expect(new Set(states.map((row) => `${row.moderation}:${row.moderation_action_id}`)).size).toBe(1);
    if (states[0]?.moderation === "hidden") expect(states[0].moderation_action_id).not.toBe(actionId);
    else expect(states[0]?.moderation_action_id).toBeNull();
  });

  it("two moderators: one undoes the hide while the other hides every match, and the undo cannot be replayed", async () => {
    const title = `Two callers ${Date.now().toString(36)}`;
    const { ids, actionId } = await hiddenArticles(title, 4);
    const [undone, matched, replayed] = await Promise.all([
      trpc(server.url, "moderation.articles.undoHide", { mutation: true, token: adminToken, input: { actionId } }),
      trpc(server.url, "moderation.articles.hideMatching", {
        mutation: true,
        token: moderatorToken,
        input: { filter: { search: title } },
      }),
      // Someone else's hide is not theirs to undo, however it is timed.
      trpc(server.url, "moderation.articles.undoHide", { mutation: true, token: moderatorToken, input: { actionId } }),
    ]);
    expect(undone.status, undone.error).toBe(200);
    expect(matched.status, matched.error).toBe(200);
    expect([403, 404]).toContain(replayed.status);
    const states = await moderationOf(ids);
    expect(new Set(states.map((row) => `${row.moderation}:${row.moderation_action_id}`)).size).toBe(1);
    // The undo is spent: again, it finds nothing of its own to show.
    const again = await trpc(server.url, "moderation.articles.undoHide", {
      mutation: true,
      token: adminToken,
      input: { actionId },
    });
    expect(again.status).toBe(404);
  });
});
