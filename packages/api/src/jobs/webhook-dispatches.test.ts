import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { WebhookDispatches } from "./webhook-dispatches.ts";

function dispatches() {
  const asked: number[] = [];
  const coordination = new WebhookDispatches(async (endpointId) => {
    asked.push(endpointId);
  });
  return { asked, coordination };
}

describe("asking for webhook dispatches", () => {
  it("asks once per endpoint for a burst of announcements", async () => {
    const { asked, coordination } = dispatches();
    for (let i = 0; i < 50; i++) coordination.announce(i % 2 === 0 ? 1 : 2);
    await sleep(60);
    expect(asked.sort()).toEqual([1, 2]);
    coordination.announce(1);
    await sleep(60);
    expect(asked).toHaveLength(3);
  });

  it("asks nothing while this process dispatches the endpoint: the dispatch claims again instead", async () => {
    const { asked, coordination } = dispatches();
    coordination.started(7);
    coordination.claiming(7);
    expect(coordination.wasAnnounced(7)).toBe(false);
    coordination.announce(7);
    expect(coordination.wasAnnounced(7)).toBe(true);
    coordination.claiming(7);
    expect(coordination.wasAnnounced(7)).toBe(false);
    coordination.finished(7);
    await sleep(60);
    expect(asked).toEqual([]);
  });

  it("asks again for an announcement the ending dispatch did not claim", async () => {
    const { asked, coordination } = dispatches();
    coordination.started(7);
    coordination.claiming(7);
    coordination.announce(7);
    coordination.finished(7);
    await sleep(60);
    expect(asked).toEqual([7]);
  });

  it("leaves an announcement to a dispatch of the endpoint still running here when another ends", async () => {
    const { asked, coordination } = dispatches();
    coordination.started(7);
    coordination.started(7);
    coordination.claiming(7);
    coordination.announce(7);
    coordination.finished(7);
    expect(coordination.wasAnnounced(7)).toBe(true);
    coordination.finished(7);
    await sleep(60);
    expect(asked).toEqual([7]);
  });

  it("stops asking when stopped", async () => {
    const { asked, coordination } = dispatches();
    coordination.announce(3);
    coordination.stop();
    await sleep(60);
    expect(asked).toEqual([]);
  });
});
