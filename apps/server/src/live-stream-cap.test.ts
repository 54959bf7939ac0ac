import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEventStream, subscriptionUrl } from "./testing/event-stream.ts";
import { startTestServer, TEST_ADMIN, type TestServer } from "./testing/index.ts";

const CAP = 3;
type Stream = Awaited<ReturnType<typeof openEventStream>>;

/** Open server-sent-event streams per client address are capped per process; a closed stream frees its slot. */
describe("live streams per client address", () => {
  let server: TestServer;
  let commentsUrl: string;
  const open: Stream[] = [];

  const from = (address: string) => ({ "x-forwarded-for": address });
  async function openComments(address: string): Promise<Stream> {
    const stream = await openEventStream(commentsUrl, from(address));
    open.push(stream);
    return stream;
  }

  beforeAll(async () => {
    server = await startTestServer({ LIVE_STREAMS_PER_ADDRESS: String(CAP), TRUST_PROXY: "true" });
    const signIn = await fetch(`${server.url}/trpc/auth.signIn`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: { email: TEST_ADMIN.email, password: TEST_ADMIN.password, session: "token" } }),
    });
    const { token } = ((await signIn.json()) as { result: { data: { json: { token: string } } } }).result.data.json;
    const created = await fetch(`${server.url}/trpc/articles.create`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ json: { title: "Watched", description: "d", body: "b" } }),
    });
    const { slug } = ((await created.json()) as { result: { data: { json: { slug: string } } } }).result.data.json;
    // A public stream: anonymous callers may watch an article's comments, and it stays open.
    commentsUrl = subscriptionUrl(server.url, "articles.onComment", { slug });
  });
  afterAll(async () => {
    await Promise.all(open.map((stream) => stream.close()));
    await server?.close();
  });

  it(`allows ${CAP} concurrent anonymous streams from one address, refuses the next with 429 and frees a slot on close`, async () => {
    const streams = await Promise.all(Array.from({ length: CAP }, () => openComments("198.51.100.50")));
    for (const stream of streams) {
      expect(stream.response.status).toBe(200);
      await stream.waitFor((event) => event.event === "connected");
    }

    const refused = await fetch(commentsUrl, { headers: { accept: "text/event-stream", ...from("198.51.100.50") } });
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({
      error: `Too many live streams from your address: at most ${CAP} may be open at once. Close one and retry.`,
    });
    expect(refused.headers.get("x-request-id")).toMatch(/.{8,}/);

    // Other addresses and ordinary calls from the same address are not affected.
    const other = await openComments("198.51.100.51");
    expect(other.response.status).toBe(200);
    await other.close();
    expect((await fetch(`${server.url}/trpc/tags.list`, { headers: from("198.51.100.50") })).status).toBe(200);

    // Closing one stream frees its slot (the server notices the client left).
    await streams[0]?.close();
    let reopened: Stream | undefined;
    for (let attempt = 0; attempt < 40 && reopened?.response.status !== 200; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      reopened = await openComments("198.51.100.50");
    }
    expect(reopened?.response.status).toBe(200);
    for (const stream of [...streams.slice(1), reopened]) await stream?.close();
  });

  it("frees the slot of a stream the server ends itself", async () => {
    // An anonymous caller of a protected stream is told why, and the stream ends.
    for (let i = 0; i < CAP + 2; i++) {
      const response = await fetch(subscriptionUrl(server.url, "activity.onEvent"), {
        headers: { accept: "text/event-stream", ...from("198.51.100.52") },
      });
      expect(response.status, `stream ${i + 1}`).toBe(200);
      // Read to the end: the server closes the stream after the error.
      expect(await response.text()).toContain("UNAUTHORIZED");
    }
  });

  it("does not count other answers as streams", async () => {
    for (let i = 0; i < CAP + 2; i++) {
      const response = await fetch(`${server.url}/trpc/articles.list`, {
        headers: { accept: "text/event-stream", ...from("198.51.100.53") },
      });
      expect(response.status).toBe(200);
      await response.text();
    }
  });
});
