import { createTestDatabase, type TestDatabase } from "@inkwell/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEventStream, subscriptionUrl } from "./testing/event-stream.ts";
import { type ServerProcess, spawnServer } from "./testing/server-process.ts";

const OPERATOR = { email: "ops@example.com", password: "operator password 1" };
const SUBSCRIBERS = 1_000;
/** What 1,000 open streams may add to the server's resident memory: measured about 100 MB, with 1.5× headroom (docs/realtime.md). */
const BUDGET_BYTES = 150 * 1024 * 1024;

type Stream = Awaited<ReturnType<typeof openEventStream>>;

/** Production serves /metrics only behind its token. */
const METRICS_TOKEN = "load-test-metrics-token";

/** Reads `name` from the server's Prometheus metrics. */
async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${name} `));
  if (!line) throw new Error(`no metric ${name}`);
  return Number(line.split(" ")[1]);
}

async function memory(url: string) {
  return {
    rss: await metric(url, "process_resident_memory_bytes"),
    heap: await metric(url, "nodejs_heap_size_used_bytes"),
  };
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** One server process (so its memory is its own) and 1,000 plain SSE clients in this one. */
describe(`${SUBSCRIBERS} concurrent subscribers on one process`, () => {
  let database: TestDatabase;
  let server: ServerProcess;
  let token: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await spawnServer({
      DATABASE_URL: database.url,
      INKWELL_ADMIN_EMAIL: OPERATOR.email,
      INKWELL_ADMIN_PASSWORD: OPERATOR.password,
      RATE_LIMIT_IP_PER_MINUTE: "0",
      RATE_LIMIT_CREDENTIAL_PER_MINUTE: "0",
      // All 1,000 streams come from this one address.
      LIVE_STREAMS_PER_ADDRESS: "0",
      METRICS_TOKEN,
    });
    const response = await fetch(`${server.url}/trpc/auth.signIn`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: { ...OPERATOR, session: "token" } }),
    });
    token = ((await response.json()) as { result: { data: { json: { token: string } } } }).result.data.json.token;
  }, 90_000);
  afterAll(async () => {
    server?.child.kill("SIGTERM");
    await server?.exited;
    await database?.drop();
  });

  it("all receive one event, within the memory budget, and leave nothing behind", async () => {
    const url = subscriptionUrl(server.url, "activity.onEvent");
    const headers = { authorization: `Bearer ${token}` };
    const open = async () => {
      const stream = await openEventStream(url, headers);
      await stream.waitFor((event) => event.event === "connected", 30_000);
      return stream;
    };

    // Warm up (code paths compiled, pools filled), then measure.
    await Promise.all(Array.from({ length: 20 }, open)).then((streams) => Promise.all(streams.map((s) => s.close())));
    const before = await memory(server.url);

    const started = performance.now();
    const streams: Stream[] = [];
    for (let batch = 0; batch < SUBSCRIBERS / 100; batch++) {
      streams.push(...(await Promise.all(Array.from({ length: 100 }, open))));
    }
    const openedMs = performance.now() - started;
    expect(await metric(server.url, "inkwell_live_streams")).toBe(SUBSCRIBERS);
    const opened = await memory(server.url);

    const publishedAt = performance.now();
    const created = await fetch(`${server.url}/trpc/articles.create`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ json: { title: "To everyone", description: "d", body: "b" } }),
    });
    expect(created.status).toBe(200);
    const received = await Promise.all(streams.map((stream) => stream.nextData(30_000)));
    const fanOutMs = performance.now() - publishedAt;
    expect(received.every(({ data }) => (data as { action: string }).action === "articles.create")).toBe(true);
    const delivered = await memory(server.url);

    await Promise.all(streams.map((stream) => stream.close()));
    await expect.poll(() => metric(server.url, "inkwell_live_streams"), { timeout: 10_000 }).toBe(0);

    const extra = opened.rss - before.rss;
    console.info(
      `${SUBSCRIBERS} streams: opened in ${Math.round(openedMs)} ms, one event to all in ${Math.round(fanOutMs)} ms; ` +
        `RSS ${mb(before.rss)} → ${mb(opened.rss)} MB (+${mb(extra)}), after delivery ${mb(delivered.rss)} MB; ` +
        `heap used ${mb(before.heap)} → ${mb(opened.heap)} MB, after delivery ${mb(delivered.heap)} MB`,
    );
    expect(extra).toBeLessThan(BUDGET_BYTES);
    expect(delivered.rss - before.rss).toBeLessThan(BUDGET_BYTES);
  }, 120_000);
});
