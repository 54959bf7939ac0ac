import { createInkwellClient, type InkwellClient, inkwellErrorDetails } from "@inkwell/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerPair, type ServerProcess, spawnServerPair } from "./testing/server-process.ts";
import { record } from "./testing/subscription-recorder.ts";

const OPERATOR = { email: "ops@example.com", password: "operator password 1" };

type ActivityItem = { id: string; data: { action: string; targetId: string | null } };

async function signIn(url: string): Promise<{ token: string; client: InkwellClient }> {
  const { token } = await createInkwellClient({ url }).auth.signIn.mutate({ ...OPERATOR, session: "token" });
  if (!token) throw new Error("no token");
  return { token, client: createInkwellClient({ url, token }) };
}

function watchActivity(client: InkwellClient, lastEventId?: string) {
  return record<ActivityItem>((handlers) => client.activity.onEvent.subscribe({ lastEventId }, handlers));
}

/** Live streams across two real server processes on one database: fan-out goes through PostgreSQL. */
describe("live activity across server processes", () => {
  let pair: ServerPair;
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    pair = await spawnServerPair({ INKWELL_ADMIN_EMAIL: OPERATOR.email, INKWELL_ADMIN_PASSWORD: OPERATOR.password });
    ({ a, b } = pair);
  }, 90_000);
  afterAll(() => pair?.stop());

  it("an event created on one process reaches a subscriber connected to the other", async () => {
    const onB = await signIn(b.url);
    const onA = await signIn(a.url);
    const activity = watchActivity(onB.client);
    await activity.started();
    const article = await onA.client.articles.create.mutate({ title: "Made on A", description: "d", body: "b" });
    const items = await activity.first(1);
    expect(items[0]?.data).toMatchObject({ action: "articles.create", targetId: String(article.id) });
    activity.stop();
  });

  it("a client that reconnects to the other process with its last id receives exactly what it missed", async () => {
    const onA = await signIn(a.url);
    const onB = await signIn(b.url);
    const first = watchActivity(onA.client);
    await first.started();
    await onA.client.articles.create.mutate({ title: "Seen", description: "d", body: "b" });
    const [last] = await first.first(1);
    first.stop();

    const missed = [];
    for (const title of ["Missed 1", "Missed 2", "Missed 3"]) {
      missed.push(await onA.client.articles.create.mutate({ title, description: "d", body: "b" }));
    }
    const resumed = watchActivity(onB.client, last?.id);
    const replayed = await resumed.first(3);
    expect(replayed.map((item) => item.data.targetId)).toEqual(missed.map((article) => String(article.id)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(resumed.items).toHaveLength(3);
    resumed.stop();
  });

  it("a session signed out on one process ends its stream on the other", async () => {
    const session = await signIn(a.url);
    const onB = createInkwellClient({ url: b.url, token: session.token });
    const activity = watchActivity(onB);
    await activity.started();
    await session.client.auth.signOut.mutate();
    expect(inkwellErrorDetails(await activity.end())).toMatchObject({ code: "UNAUTHORIZED" });
    expect(activity.items).toEqual([]);
  });

  it("on SIGTERM, open streams end so the process still exits promptly (clients reconnect elsewhere)", async () => {
    const onA = await signIn(a.url);
    const activity = watchActivity(onA.client);
    await activity.started();
    const signalled = performance.now();
    a.child.kill("SIGTERM");
    const code = await a.exited;
    expect(code).toBe(0);
    expect(performance.now() - signalled).toBeLessThan(5_000);
    activity.stop();
  });
});
