import { lookup } from "node:dns/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { verifyWebhook } from "@inkwell/client/webhooks";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { comment, publish, register, signInToken, trpc } from "./testing/conduit.ts";
import { startTestServer, TEST_ADMIN, type TestServer } from "./testing/index.ts";
import { startWebhookReceiver, type WebhookReceiver } from "./testing/webhook-receiver.ts";

/**
 * Webhook deliveries from a real server (its worker in-process) to a real
 * HTTP receiver on 127.0.0.1, which `WEBHOOK_ALLOWED_HOSTS` lets it reach;
 * a short retry schedule and timeout stand in for the day-long default.
 */

const SETTINGS = {
  WEBHOOK_ALLOWED_HOSTS: "127.0.0.1",
  WEBHOOK_RETRY_DELAYS: "200ms,400ms,800ms",
  WEBHOOK_TIMEOUT_MS: "500",
  WEBHOOK_DISABLE_AFTER_DEAD: "2",
};

let server: TestServer;
let receiver: WebhookReceiver;
let admin: string;
const endpoints: number[] = [];
beforeAll(async () => {
  receiver = await startWebhookReceiver();
  // Due retries are polled for every 50 ms instead of 2 s, so the schedule is what the test sees.
  server = await startTestServer(SETTINGS, { jobs: { pollIntervalMs: 50 } });
  admin = await signInToken(server.url, TEST_ADMIN.email, TEST_ADMIN.password);
}, 60_000);
afterAll(async () => {
  await server?.close();
  await receiver?.close();
});
beforeEach(async () => {
  for (const id of endpoints.splice(0)) await call("webhooks.delete", { id });
  receiver.arrivals.length = 0;
  receiver.answer = () => ({ status: 200, body: "ok" });
});

async function call<T = unknown>(path: string, input: unknown, mutation = true): Promise<T> {
  const result = await trpc(server.url, path, { token: admin, input, mutation });
  expect(result.status, result.error).toBe(200);
  return result.data as T;
}

async function createEndpoint(url: string, events: string[]) {
  const created = await call<{ id: number; secret: string }>("webhooks.create", { url, events });
  endpoints.push(created.id);
  return created;
}

interface DeliveryView {
  id: number;
  webhookId: string;
  status: string;
  attempts: number;
  attemptList: {
    number: number;
    statusCode: number | null;
    error: string | null;
    responseBody: string | null;
    startedAt: string;
    succeeded: boolean;
  }[];
}

const deliveriesOf = async (endpointId: number) =>
  (await call<{ deliveries: DeliveryView[] }>("webhooks.deliveries", { endpointId }, false)).deliveries;

async function settled(endpointId: number, status: string, count = 1) {
  await expect
    .poll(async () => (await deliveriesOf(endpointId)).filter((d) => d.status === status).length, {
      timeout: 15_000,
      interval: 100,
    })
    .toBe(count);
  return deliveriesOf(endpointId);
}

describe("a committed change", () => {
  it("is delivered once, signed so that standardwebhooks (and @inkwell/client) verify it, and recorded", async () => {
    const { id, secret } = await createEndpoint(`${receiver.url}/hooks/inkwell`, ["comment.created"]);
    const author = await register(server.url, "hookauthor");
    const reader = await register(server.url, "hookreader");
    const slug = await publish(server.url, author, "Signed deliveries");
    const commentId = await comment(server.url, reader, slug, "Signed, sealed, delivered");

    const [delivery] = await settled(id, "succeeded");
    expect(receiver.arrivals).toHaveLength(1);
    const [arrival] = receiver.arrivals;
    expect(arrival?.path).toBe("/hooks/inkwell");
    expect(arrival?.headers["content-type"]).toBe("application/json");
    expect(arrival?.headers["webhook-id"]).toBe(delivery?.webhookId);
    const headers = {
      "webhook-id": String(arrival?.headers["webhook-id"]),
      "webhook-timestamp": String(arrival?.headers["webhook-timestamp"]),
      "webhook-signature": String(arrival?.headers["webhook-signature"]),
    };
    const event = new Webhook(secret).verify(arrival?.body ?? "", headers);
    expect(event).toEqual({
      type: "comment.created",
      timestamp: expect.any(String),
      data: {
        comment: {
          id: commentId,
          body: "Signed, sealed, delivered",
          author: { id: expect.any(Number), username: "hookreader" },
          createdAt: expect.any(String),
        },
        article: { id: expect.any(Number), slug, title: "Signed deliveries" },
      },
    });
    expect(verifyWebhook(secret, arrival?.headers ?? {}, arrival?.body ?? "")).toEqual(event);
    // Another endpoint's secret does not verify it.
    const other = await createEndpoint(`${receiver.url}/other`, ["user.suspended"]);
    expect(() => new Webhook(other.secret).verify(arrival?.body ?? "", headers)).toThrow(/No matching signature/);

    expect(delivery).toMatchObject({ status: "succeeded", attempts: 1 });
    expect(delivery?.attemptList).toEqual([
      expect.objectContaining({ number: 1, statusCode: 200, responseBody: "ok", error: null, succeeded: true }),
    ]);
    // Events this endpoint did not subscribe to (the sign-ups, the article) were not sent.
    await sleep(300);
    expect(receiver.arrivals).toHaveLength(1);
  });

  it("a refused change delivers nothing: a sign-up refused for a taken name sends no user.created (rollbacks: packages/api router/webhooks.test.ts)", async () => {
    const { id } = await createEndpoint(`${receiver.url}/users`, ["user.created"]);
    await register(server.url, "onlyonce");
    await settled(id, "succeeded");
    const again = await fetch(`${server.url}/api/users`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        user: { username: "ONLYONCE", email: "other@example.com", password: "a long enough password" },
      }),
    });
    expect(again.status).toBe(409);
    await sleep(500);
    expect(receiver.arrivals).toHaveLength(1);
    expect(await deliveriesOf(id)).toHaveLength(1);
  });
});

describe("retries", () => {
  it("a receiver answering 500 then 200 gets the same webhook-id twice, and the delivery ends succeeded", async () => {
    const { id } = await createEndpoint(`${receiver.url}/flaky`, ["user.created"]);
    receiver.answer = (arrival) => (arrival.number === 1 ? { status: 500, body: "try later" } : { status: 204 });
    await register(server.url, "flakyuser");

    const [delivery] = await settled(id, "succeeded");
    expect(receiver.arrivals).toHaveLength(2);
    const [first, second] = receiver.arrivals;
    expect(second?.headers["webhook-id"]).toBe(first?.headers["webhook-id"]);
    expect(second?.body).toBe(first?.body);
    // After the first wait: 200 ms ± 20 %.
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThan(150);
    expect(delivery?.attemptList.map((a) => [a.number, a.statusCode, a.responseBody, a.error])).toEqual([
      [1, 500, "try later", "answered 500"],
      [2, 204, "", null],
    ]);
  });

  it("a receiver that never answers is retried with growing waits until the delivery is dead; two dead ones disable the endpoint", async () => {
    const { id } = await createEndpoint(`${receiver.url}/silent`, ["user.created", "user.suspended"]);
    receiver.answer = () => "never";
    await register(server.url, "silent1");

    const [dead] = await settled(id, "dead");
    expect(dead?.attempts).toBe(4);
    expect(dead?.attemptList.map((a) => [a.number, a.statusCode, a.error])).toEqual(
      [1, 2, 3, 4].map((n) => [n, null, "no answer within 0.5 s"]),
    );
    expect(receiver.arrivals.map((a) => a.headers["webhook-id"])).toEqual(Array(4).fill(dead?.webhookId));
    // Each wait longer than the one before (200, 400, 800 ms, ± 20 %), after a 0.5 s timeout each.
    const starts = dead?.attemptList.map((a) => new Date(a.startedAt).getTime()) ?? [];
    const gaps = starts.slice(1).map((start, i) => start - (starts[i] ?? 0));
    expect(gaps[0]).toBeGreaterThan(500 + 160);
    expect(gaps[1]).toBeGreaterThan(gaps[0] ?? 0);
    expect(gaps[2]).toBeGreaterThan(gaps[1] ?? 0);
    let [endpoint] = (
      await call<{ id: number; enabled: boolean; consecutiveFailures: number }[]>("webhooks.list", undefined, false)
    ).filter((e) => e.id === id);
    expect(endpoint).toMatchObject({ enabled: true, consecutiveFailures: 1 });

    await register(server.url, "silent2");
    await settled(id, "dead", 2);
    const listed = await call<
      { id: number; enabled: boolean; consecutiveFailures: number; disabledReason: string | null }[]
    >("webhooks.list", undefined, false);
    [endpoint] = listed.filter((e) => e.id === id);
    expect(endpoint).toMatchObject({ enabled: false, consecutiveFailures: 2 });
    expect(listed.find((e) => e.id === id)?.disabledReason).toBe(
      "Disabled by Inkwell: 2 deliveries in a row failed every attempt. The last one: no answer within 0.5 s. " +
        "Fix the receiver, then enable the endpoint and replay what it missed.",
    );

    // Disabled: new events are not delivered to it.
    await register(server.url, "silent3");
    await sleep(500);
    expect(await deliveriesOf(id)).toHaveLength(2);

    // The operator fixes the receiver, enables the endpoint and replays: the same webhook-id arrives and succeeds.
    receiver.answer = () => ({ status: 200 });
    receiver.arrivals.length = 0;
    await call("webhooks.update", { id, enabled: true });
    await call("webhooks.replay", { deliveryId: dead?.id });
    await expect.poll(() => receiver.arrivals.length, { timeout: 10_000 }).toBe(1);
    expect(receiver.arrivals[0]?.headers["webhook-id"]).toBe(dead?.webhookId);
    const replayed = (await deliveriesOf(id)).find((d) => d.id === dead?.id);
    await expect.poll(async () => (await deliveriesOf(id)).find((d) => d.id === dead?.id)?.status).toBe("succeeded");
    expect(replayed?.attemptList.length).toBeGreaterThanOrEqual(4);
  });
});

describe("SSRF", () => {
  it("refuses endpoints at private, link-local and loopback addresses not allowed, and records why", async () => {
    const targets = [
      ["http://10.0.0.1/hook", "refused: 10.0.0.1, a private address"],
      ["http://169.254.169.254/latest/meta-data/", "refused: 169.254.169.254, a linkLocal address"],
      [`http://[::1]:${receiver.port}/hook`, "refused: ::1, a loopback address"],
      [`http://127.0.0.2:${receiver.port}/hook`, "refused: 127.0.0.2, a loopback address"],
    ] as const;
    const created = [];
    for (const [url] of targets) created.push(await createEndpoint(url, ["user.suspended"]));
    const victim = await register(server.url, "victim");
    const [user] = await server.database.sql<
      { id: number }[]
    >`select id from users where username = ${victim.username}`;
    await call("users.suspend", { userId: user?.id });

    for (const [index, [url, refusal]] of targets.entries()) {
      const endpointId = created[index]?.id as number;
      await expect
        .poll(async () => (await deliveriesOf(endpointId))[0]?.attemptList[0]?.error, { timeout: 10_000 })
        .toBe(`${refusal}, which webhooks may not reach (allow it with WEBHOOK_ALLOWED_HOSTS)`);
      expect((await deliveriesOf(endpointId))[0]?.attemptList[0], url).toMatchObject({
        statusCode: null,
        succeeded: false,
      });
    }
    expect(receiver.arrivals).toEqual([]);
  });
});

describe("SSRF through a redirect", () => {
  let redirecting: TestServer;
  let localReceiver: WebhookReceiver;
  beforeAll(async () => {
    // The receiver is allowed by the name `localhost` only; 127.0.0.1 itself is not.
    const [first] = await lookup("localhost", { all: true, verbatim: true });
    localReceiver = await startWebhookReceiver(first?.address ?? "127.0.0.1");
    redirecting = await startTestServer(
      { ...SETTINGS, WEBHOOK_ALLOWED_HOSTS: "localhost" },
      { jobs: { pollIntervalMs: 50 } },
    );
  }, 60_000);
  afterAll(async () => {
    await redirecting?.close();
    await localReceiver?.close();
  });

  it("checks every hop: a redirect to 127.0.0.1 is refused, recorded, and not followed", async () => {
    localReceiver.answer = (arrival) =>
      arrival.path === "/start"
        ? { status: 302, headers: { location: `http://127.0.0.1:${localReceiver.port}/internal` } }
        : { status: 200, body: "internal data" };
    const token = await signInToken(redirecting.url, TEST_ADMIN.email, TEST_ADMIN.password);
    const created = await trpc(redirecting.url, "webhooks.create", {
      token,
      mutation: true,
      input: { url: `http://localhost:${localReceiver.port}/start`, events: ["user.created"] },
    });
    const { id } = created.data as { id: number };
    await register(redirecting.url, "redirected");
    const attempt = async () => {
      const page = await trpc(redirecting.url, "webhooks.deliveries", { token, input: { endpointId: id } });
      return (page.data as { deliveries: DeliveryView[] }).deliveries[0]?.attemptList[0];
    };
    await expect
      .poll(async () => (await attempt())?.error, { timeout: 10_000 })
      .toBe(
        "refused: 127.0.0.1, a loopback address, which webhooks may not reach (allow it with WEBHOOK_ALLOWED_HOSTS)",
      );
    expect(localReceiver.arrivals.map((a) => a.path)).toEqual(["/start"]);
  });
});
