import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerPair, type ServerProcess, spawnServerPair } from "./testing/server-process.ts";

// Far enough from the small limits of the other tests that each process counts 5 % of it locally (decision 012).
const LIMIT = 100;
const SHARE = LIMIT * 0.05;

const tags = (server: ServerProcess, address: string) =>
  fetch(`${server.url}/api/tags`, { headers: { "x-forwarded-for": address } }).then(async (response) => {
    await response.body?.cancel();
    return response.status;
  });

describe("rate limits counted locally and reported in batches, across two processes", () => {
  let pair: ServerPair;
  let a: ServerProcess;
  let b: ServerProcess;
  const storedHits = async (address: string) => {
    const [row] = await pair.database.sql<{ hits: number }[]>`
      select hits from throttle_counters where key = ${`rate:ip:${address}`}`;
    return row?.hits ?? 0;
  };

  beforeAll(async () => {
    pair = await spawnServerPair({ TRUST_PROXY: "true", RATE_LIMIT_IP_PER_MINUTE: String(LIMIT) });
    ({ a, b } = pair);
  }, 90_000);
  afterAll(() => pair?.stop());

  it("a request far from its limit writes nothing in the request; the hits reach PostgreSQL within a second", async () => {
    // Counted in the request, all hits would be stored once the last answer arrives. Reported once a second, they
    // are not, unless that second ended in the few milliseconds between: so three addresses, one must show it.
    const storedRightAfter: number[] = [];
    for (const address of ["198.51.100.201", "198.51.100.204", "198.51.100.205"]) {
      for (let i = 0; i < SHARE; i++) expect(await tags(a, address)).toBe(200);
      storedRightAfter.push(await storedHits(address));
      await expect.poll(() => storedHits(address), { timeout: 5000, interval: 100 }).toBe(SHARE);
    }
    expect(Math.min(...storedRightAfter)).toBeLessThan(SHARE);
  }, 60_000);

  it("a limit used up on one process holds on the other, within the other's local share", async () => {
    const address = "198.51.100.202";
    for (let i = 0; i < LIMIT; i++) expect(await tags(a, address), `request ${i + 1}`).toBe(200);
    expect(await tags(a, address)).toBe(429);
    await expect.poll(() => storedHits(address), { timeout: 5000, interval: 100 }).toBe(LIMIT + 1);

    // b has not seen this address: it lets through at most its share before its report brings back a's hits.
    const onB: number[] = [];
    for (let i = 0; i < 2 * SHARE; i++) onB.push(await tags(b, address));
    const admitted = onB.filter((status) => status === 200).length;
    expect(admitted).toBeLessThanOrEqual(SHARE);
    expect(onB.slice(SHARE)).toEqual(Array.from({ length: SHARE }, () => 429));
    expect(await tags(a, address)).toBe(429);
  }, 60_000);

  it("hammered on both at once, lets through the limit and at most a share more per process; every hit is stored", async () => {
    const address = "198.51.100.203";
    const sent = 2 * LIMIT;
    const statuses: number[] = [];
    // 20 at a time, alternating between the processes.
    for (let wave = 0; wave < sent / 20; wave++) {
      statuses.push(...(await Promise.all(Array.from({ length: 20 }, (_, i) => tags(i % 2 === 0 ? a : b, address)))));
    }
    expect(statuses.filter((status) => status !== 200 && status !== 429)).toEqual([]);
    const admitted = statuses.filter((status) => status === 200).length;
    expect(admitted).toBeGreaterThanOrEqual(LIMIT);
    // Near the limit each process may be admitting from its own share at once (decision 012).
    expect(admitted).toBeLessThanOrEqual(LIMIT + 2 * SHARE);
    await expect.poll(() => storedHits(address), { timeout: 5000, interval: 100 }).toBe(sent);
  }, 60_000);
});
