// The client SDK (@inkwell/client) against the real server. It lives in the server app, not in
// packages/client: a package never imports an app, even in tests (checked by `pnpm lint`).

import { createInkwellClient, type InkwellClient, inkwellErrorDetails, isInkwellError } from "@inkwell/client";
import { EventSource as FetchEventSource } from "eventsource";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, TEST_ADMIN, type TestServer } from "./testing/index.ts";
import { record } from "./testing/subscription-recorder.ts";

let server: TestServer;
let signedIn: InkwellClient;

beforeAll(async () => {
  server = await startTestServer();
  const { token } = await createInkwellClient({ url: server.url }).auth.signIn.mutate({
    ...TEST_ADMIN,
    session: "token",
  });
  if (!token) throw new Error("signIn returned no token");
  signedIn = createInkwellClient({ url: server.url, token });
});
afterAll(() => server?.close());

/** Resolves to what `work` threw; fails the test when it did not throw. */
async function thrown(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

describe("createInkwellClient", () => {
  it("signs in with a token and reads the caller back, with dates as Date", async () => {
    const me = await signedIn.auth.me.query();
    expect(me.user.email).toBe(TEST_ADMIN.email);
    expect(me.credential.kind).toBe("session");
    expect(me.user.createdAt).toBeInstanceOf(Date);
  });

  it("delivers input errors typed, with the code and the field's message", async () => {
    const error = await thrown(() =>
      signedIn.articles.create.mutate({ title: "x".repeat(201), description: "d", body: "b" }),
    );
    expect(isInkwellError(error)).toBe(true);
    if (!isInkwellError(error)) return;
    expect(error.data?.code).toBe("BAD_REQUEST");
    const details = inkwellErrorDetails(error);
    expect(details).toMatchObject({ code: "BAD_REQUEST", httpStatus: 400, retryAfterSeconds: null });
    expect(details.fieldErrors.title).toEqual(["Titles have at most 200 characters."]);
    expect(details.message).toBe("title: Titles have at most 200 characters.");
  });

  it("sends no credentials when given none, so the server refuses", async () => {
    const error = await thrown(() => createInkwellClient({ url: server.url }).auth.me.query());
    expect(inkwellErrorDetails(error)).toMatchObject({ code: "UNAUTHORIZED", message: "Sign in to do this." });
  });

  it("refuses both an API key and a token", () => {
    expect(() => createInkwellClient({ url: server.url, apiKey: "k", token: "t" })).toThrow(/not both/);
  });

  it("batches calls made together into one request, through the given fetch", async () => {
    const requests: string[] = [];
    const counting: typeof fetch = (input, init) => {
      requests.push(String(input));
      return fetch(input, init);
    };
    const client = createInkwellClient({ url: `${server.url}/`, fetch: counting, headers: { "x-trace": "1" } });
    const [tags, list] = await Promise.all([client.tags.list.query(), client.articles.list.query()]);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toContain("/trpc/tags.list,articles.list?batch=1");
    expect(tags).toBeDefined();
    expect(list.articles).toEqual([]);
  });

  it("splits more calls than the server takes in one batch (50) into several requests", async () => {
    const requests: string[] = [];
    const counting: typeof fetch = (input, init) => {
      requests.push(String(input));
      return fetch(input, init);
    };
    const client = createInkwellClient({ url: server.url, fetch: counting });
    const results = await Promise.all(Array.from({ length: 120 }, () => client.tags.list.query()));
    expect(results).toHaveLength(120);
    expect(requests.map((url) => new URL(url).pathname.split(",").length)).toEqual([50, 50, 20]);
  });

  it("reads the HTTP layer's own answers too: a rate limit arrives with its code and Retry-After", async () => {
    const limited = await startTestServer({ RATE_LIMIT_IP_PER_MINUTE: "2" });
    try {
      const client = createInkwellClient({ url: limited.url });
      await client.articles.list.query();
      await client.articles.list.query();
      const error = await thrown(() => client.articles.list.query());
      const details = inkwellErrorDetails(error);
      expect(details).toMatchObject({ code: "TOO_MANY_REQUESTS", httpStatus: 429, fieldErrors: {} });
      expect(details.message).toMatch(/Too many requests/);
      expect(details.retryAfterSeconds).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  it("reports a server that cannot be reached as an error without a code", async () => {
    const error = await thrown(() => createInkwellClient({ url: "http://127.0.0.1:9" }).auth.me.query());
    expect(isInkwellError(error)).toBe(true);
    expect(inkwellErrorDetails(error)).toMatchObject({ code: null, httpStatus: null });
  });
});

describe("subscriptions", () => {
  const article = (title: string) => signedIn.articles.create.mutate({ title, description: "d", body: "b" });

  it("stream over server-sent events with the caller's credential, typed", async () => {
    const activity = record<{ id: string; data: { action: string; createdAt: Date } }>((handlers) =>
      signedIn.activity.onEvent.subscribe({}, handlers),
    );
    await activity.started();
    const created = await article("Streamed to the SDK");
    const [item] = await activity.first(1);
    expect(item?.data).toMatchObject({ action: "articles.create", targetId: String(created.id) });
    expect(item?.data.createdAt).toBeInstanceOf(Date);
    expect(item?.id).toMatch(/^\d+$/);
    activity.stop();
  });

  it("authenticate through connection parameters where EventSource cannot send headers", async () => {
    const { token } = await createInkwellClient({ url: server.url }).auth.signIn.mutate({
      ...TEST_ADMIN,
      session: "token",
    });
    if (!token) throw new Error("no token");
    // A browser-like EventSource: it sends no Authorization header.
    const client = createInkwellClient({ url: server.url, token, EventSource: FetchEventSource });
    const activity = record((handlers) => client.activity.onEvent.subscribe({}, handlers));
    await activity.started();
    await article("Streamed to a browser-like client");
    expect(await activity.first(1)).toHaveLength(1);
    activity.stop();
  });

  it("end with the server's error when the caller may not have the stream", async () => {
    const anonymous = record((handlers) =>
      createInkwellClient({ url: server.url }).activity.onEvent.subscribe({}, handlers),
    );
    expect(inkwellErrorDetails(await anonymous.end())).toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("resume after a reconnect from the last event id: nothing missed, nothing twice", async () => {
    const first = record<{ id: string }>((handlers) => signedIn.activity.onEvent.subscribe({}, handlers));
    await first.started();
    await article("Before the disconnect");
    const [last] = await first.first(1);
    first.stop();

    const missed = [await article("Missed one"), await article("Missed two")];
    const resumed = record<{ id: string; data: { targetId: string | null } }>((handlers) =>
      signedIn.activity.onEvent.subscribe({ lastEventId: last?.id }, handlers),
    );
    const replayed = await resumed.first(2);
    expect(replayed.map((item) => item.data.targetId)).toEqual(missed.map((item) => String(item.id)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(resumed.items).toHaveLength(2);
    resumed.stop();
  });
});
