import { describe, expect, it } from "vitest";
import { Unavailable } from "../errors.ts";
import { EventHub } from "./event-hub.ts";
import type { HubMessage } from "./hub-subscription.ts";

async function drain<E>(iterator: AsyncIterator<HubMessage<E>>, count: number): Promise<HubMessage<E>[]> {
  const messages: HubMessage<E>[] = [];
  for (let i = 0; i < count; i++) {
    const result = await iterator.next();
    if (result.done) break;
    messages.push(result.value);
  }
  return messages;
}

describe("EventHub", () => {
  it("delivers each event to every subscriber, in order, waiting readers included", async () => {
    const hub = new EventHub<number>();
    const first = hub.subscribe();
    const second = hub.subscribe();
    const waiting = first.next();
    hub.publish(1);
    hub.publish(2);
    expect(await waiting).toEqual({ done: false, value: { kind: "event", event: 1 } });
    expect(await drain(first, 1)).toEqual([{ kind: "event", event: 2 }]);
    expect(await drain(second, 2)).toEqual([
      { kind: "event", event: 1 },
      { kind: "event", event: 2 },
    ]);
  });

  it("bounds a slow reader's queue: past the limit it holds one `missed` instead", async () => {
    const hub = new EventHub<number>(3);
    const slow = hub.subscribe();
    for (let event = 1; event <= 3; event++) hub.publish(event);
    hub.publish(4);
    hub.publish(5);
    expect(await drain(slow, 2)).toEqual([{ kind: "missed" }, { kind: "event", event: 5 }]);
  });

  it("forgets a subscriber once its signal aborts, ending its reader", async () => {
    const hub = new EventHub<number>();
    const controller = new AbortController();
    const subscription = hub.subscribe(controller.signal);
    const waiting = subscription.next();
    expect(hub.subscriberCount).toBe(1);
    controller.abort();
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(hub.subscriberCount).toBe(0);
    hub.publish(1);
    expect(await subscription.next()).toEqual({ done: true, value: undefined });
  });

  it("on close, fails every reader with a retryable error, and later subscribers too", async () => {
    const hub = new EventHub<number>();
    const open = hub.subscribe();
    const waiting = open.next();
    hub.close();
    const error = await waiting.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Unavailable);
    await expect(hub.subscribe().next()).rejects.toThrow(/shutting down/);
    expect(hub.subscriberCount).toBe(0);
  });
});
