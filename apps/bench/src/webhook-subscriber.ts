import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { percentile } from "./percentile.ts";

/** What a scenario with a webhook subscriber adds to its result. */
export interface WebhookDeliveryStats {
  /** Deliveries that arrived while the load ran and until the backlog drained. */
  delivered: number;
  /** Deliveries per second, from the first arrival to the last. */
  deliveriesPerSecond: number;
  /** From the comment's `createdAt` (set in its transaction, just before the commit) to the delivery's arrival. */
  p50Ms: number;
  p99Ms: number;
  /** Deliveries still pending when the bench stopped waiting for them. */
  undelivered: number;
  /** Requests/s with the endpoint subscribed over requests/s of the same load without one, measured just before. */
  ofUnsubscribed?: number;
  /** With `--rounds`: requests/s without a subscriber in each round (`ofUnsubscribed` is then the median share). */
  unsubscribedRounds?: number[];
}

async function trpcMutation(baseUrl: string, token: string, path: string, input: unknown) {
  const response = await fetch(`${baseUrl}/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ json: input }),
  });
  const body = (await response.json()) as { result?: { data: { json: unknown } }; error?: unknown };
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(body.error)}`);
  return body.result?.data.json;
}

/**
 * A receiver on 127.0.0.1 (the bench server allows it: WEBHOOK_ALLOWED_HOSTS)
 * registered as the one endpoint subscribed to `comment.created`; it answers
 * 204 at once and times each delivery from the comment's creation.
 */
export async function subscribeWebhookReceiver(baseUrl: string, token: string) {
  const latencies: number[] = [];
  const arrivals: number[] = [];
  // Deliveries of comments created before this (the warm-up's) are not counted.
  let since = Number.POSITIVE_INFINITY;
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
    });
    req.on("end", () => {
      const now = Date.now();
      const createdAt = (JSON.parse(body) as { data?: { comment?: { createdAt?: string } } }).data?.comment?.createdAt;
      const created = createdAt ? Date.parse(createdAt) : Number.NaN;
      if (created >= since) {
        arrivals.push(now);
        latencies.push(now - created);
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const { id } = (await trpcMutation(baseUrl, token, "webhooks.create", {
    url: `http://127.0.0.1:${port}/bench`,
    events: ["comment.created"],
  })) as { id: number };

  return {
    /** Counts deliveries of comments created from now on (not the warm-up's). */
    startMeasuring() {
      since = Date.now();
    },
    /** Waits (up to `drainSeconds`) for `expected` deliveries, then reports and unsubscribes. */
    async finish(expected: number, drainSeconds = 120): Promise<WebhookDeliveryStats> {
      const deadline = Date.now() + drainSeconds * 1000;
      while (arrivals.length < expected && Date.now() < deadline) await sleep(100);
      await trpcMutation(baseUrl, token, "webhooks.delete", { id });
      await new Promise<void>((resolve) => server.close(() => resolve()));
      const sorted = [...latencies].sort((a, b) => a - b);
      const span = ((arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0)) / 1000;
      return {
        delivered: arrivals.length,
        deliveriesPerSecond: span > 0 ? arrivals.length / span : 0,
        p50Ms: percentile(sorted, 0.5),
        p99Ms: percentile(sorted, 0.99),
        undelivered: Math.max(0, expected - arrivals.length),
      };
    },
  };
}
