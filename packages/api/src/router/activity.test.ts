import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_QUEUE_LIMIT } from "../realtime/event-hub.ts";
import { recordAuditEvent } from "../services/audit-writer.ts";
import { createHarness, type Harness } from "../testing/harness.ts";
import { trackedReader } from "../testing/stream-reader.ts";
import { enrolTwoFactor } from "../testing/two-factor.ts";

let h: Harness;
const open: AbortController[] = [];
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  for (const controller of open) controller.abort();
  await h.close();
});

/** `activity.onEvent` as the holder of `bearer`, read item by item; stopped at the end of the file at the latest. */
async function watchActivity(bearer: string, lastEventId?: string) {
  const controller = new AbortController();
  open.push(controller);
  const caller = await h.as({ bearer, signal: controller.signal });
  const stream = await caller.activity.onEvent(lastEventId === undefined ? {} : { lastEventId });
  return { ...trackedReader(stream), stop: () => controller.abort() };
}

async function newArticle(token: string, title: string) {
  return (await h.as({ bearer: token })).articles.create({ title, description: "d", body: "b" });
}

const codeOf = (error: unknown) => (error instanceof TRPCError ? error.code : error);

describe("activity.onEvent", () => {
  it("streams audit events as they happen, each tracked by its id", async () => {
    const admin = await h.signedIn("admin");
    const author = await h.signedIn("user");
    const activity = await watchActivity(admin.token);
    const article = await newArticle(author.token, "Live one");

    const { id, data: event } = await activity.next();
    expect(event).toMatchObject({
      action: "articles.create",
      actor: { id: author.user.id, username: author.user.username },
      targetType: "article",
      targetId: String(article.id),
      details: { outcome: "success" },
    });
    expect(id).toBe(String(event.id));
    expect(event.createdAt).toBeInstanceOf(Date);
    activity.stop();
  });

  it("replays exactly what a reconnecting client missed, in order, then goes on live", async () => {
    const admin = await h.signedIn("admin");
    const author = await h.signedIn("user");
    const first = await watchActivity(admin.token);
    await newArticle(author.token, "Before the gap");
    const { id: lastId } = await first.next();
    first.stop();

    const missed = [];
    for (const title of ["Gap one", "Gap two", "Gap three"]) missed.push(await newArticle(author.token, title));
    const resumed = await watchActivity(admin.token, lastId);
    const replayed = await resumed.take(3);
    expect(replayed.map(({ data }) => data.targetId)).toEqual(missed.map((article) => String(article.id)));
    const ids = replayed.map(({ id }) => Number(id));
    expect(ids).toEqual(replayed.map(({ data }) => data.id));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(ids[0]).toBeGreaterThan(Number(lastId));

    const after = await newArticle(author.token, "After the gap");
    const { data: live } = await resumed.next();
    expect(live.targetId).toBe(String(after.id));
    expect(await resumed.quietFor(200)).toBe(true);
  });

  it("catches a reader that fell behind up from the table: everything, in order, once", async () => {
    const admin = await h.signedIn("admin");
    const activity = await watchActivity(admin.token);
    const count = DEFAULT_QUEUE_LIMIT + 50;
    for (let i = 0; i < count; i++) {
      await recordAuditEvent(h.database.db, {
        action: "test.burst",
        actorId: null,
        ip: null,
        userAgent: null,
        requestId: null,
        details: { i },
      });
    }
    // Not reading meanwhile: more arrive than the stream's queue holds.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const received = await activity.take(count);
    expect(received.map(({ data }) => data.details.i)).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(await activity.quietFor(300)).toBe(true);
  });

  it("ends the stream of a session that signs out, before passing on the sign-out", async () => {
    const admin = await h.signedIn("admin");
    const activity = await watchActivity(admin.token);
    await (await h.as({ bearer: admin.token })).auth.signOut();
    expect(codeOf(await activity.end())).toBe("UNAUTHORIZED");
  });

  it("ends the stream when another operator suspends the caller", async () => {
    const watcher = await h.signedIn("admin");
    const other = await h.signedIn("admin");
    const activity = await watchActivity(watcher.token);
    await (await h.as({ bearer: other.token })).users.suspend({ userId: watcher.user.id });
    expect(codeOf(await activity.end())).toBe("UNAUTHORIZED");
  });

  it("ends the stream when the caller's role loses audit:read", async () => {
    const watcher = await h.signedIn("admin");
    const other = await h.signedIn("admin");
    const activity = await watchActivity(watcher.token);
    await (await h.as({ bearer: other.token })).users.setRole({ userId: watcher.user.id, role: "moderator" });
    expect(codeOf(await activity.end())).toBe("FORBIDDEN");
  });

  it("ends the stream of an API key when it is revoked", async () => {
    const admin = await h.signedIn("admin");
    const caller = await h.as({ bearer: admin.token });
    const key = await caller.apiKeys.create({ name: "tail", scopes: ["audit:read"] });
    const activity = await watchActivity(key.key);
    await caller.apiKeys.revoke({ id: key.id });
    expect(codeOf(await activity.end())).toBe("UNAUTHORIZED");
  });

  it("ends an admin's streams, by session and by key, once their role requires two-factor sign-in they lack", async () => {
    const enrolled = await h.signedIn("admin");
    await enrolTwoFactor(h, enrolled.token);
    const lacking = await h.signedIn("admin");
    const { key } = await (await h.as({ bearer: lacking.token })).apiKeys.create({
      name: "tail",
      scopes: ["audit:read"],
    });
    const [bySession, byKey, staying] = await Promise.all([
      watchActivity(lacking.token),
      watchActivity(key),
      watchActivity(enrolled.token),
    ]);
    try {
      await (await h.as({ bearer: enrolled.token })).settings.requireTwoFactor.set({ roles: ["admin"] });
      expect(codeOf(await bySession.end())).toBe("FORBIDDEN");
      expect(codeOf(await byKey.end())).toBe("FORBIDDEN");
      // The admin who has it keeps watching, and sees the change.
      const { data: event } = await staying.next();
      expect(event).toMatchObject({ action: "settings.requireTwoFactor.set", actor: { id: enrolled.user.id } });
    } finally {
      await h.database.sql`delete from settings`;
    }
  });

  it("keeps other operators' streams going when one signs out", async () => {
    const staying = await h.signedIn("admin");
    const leaving = await h.signedIn("admin");
    const activity = await watchActivity(staying.token);
    await (await h.as({ bearer: leaving.token })).auth.signOut();
    const { data: event } = await activity.next();
    expect(event).toMatchObject({ action: "auth.signOut", actor: { id: leaving.user.id } });
  });

  it("is refused, before streaming, to callers without audit:read", async () => {
    const moderator = await h.signedIn("moderator");
    const error = await watchActivity(moderator.token).catch((caught: unknown) => caught);
    expect(codeOf(error)).toBe("FORBIDDEN");
    expect(codeOf(await (await h.as()).activity.onEvent({}).catch((caught: unknown) => caught))).toBe("UNAUTHORIZED");
  });

  it("refuses a last id that is not an event id", async () => {
    const admin = await h.signedIn("admin");
    const error = await watchActivity(admin.token, "1; drop table").catch((caught: unknown) => caught);
    expect(codeOf(error)).toBe("BAD_REQUEST");
  });
});

describe("activity.onEvent when the server shuts down", () => {
  // Last in the file: the harness's hub stays closed afterwards.
  it("ends open streams with a retryable SERVICE_UNAVAILABLE, and refuses new ones alike", async () => {
    const admin = await h.signedIn("admin");
    const activity = await watchActivity(admin.token);
    h.deps.events?.close();
    const error = await activity.end();
    expect(codeOf(error)).toBe("SERVICE_UNAVAILABLE");
    expect((error as TRPCError).message).toBe("This server is shutting down; reconnect to resume.");
    const late = await watchActivity(admin.token);
    expect(codeOf(await late.end())).toBe("SERVICE_UNAVAILABLE");
  });
});
