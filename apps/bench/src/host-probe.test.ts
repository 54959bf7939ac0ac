import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { type ProcessHop, parseCoreList, probeHost, probeProcessHop } from "./host-probe.ts";

const run = promisify(execFile);

/** The cores each thread of this process may run on. */
const threadCores = () =>
  readdirSync("/proc/self/task").map(
    (task) => /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync(`/proc/self/task/${task}/status`, "utf8"))?.[1],
  );

function expectRoundTrips(hop: ProcessHop) {
  // Many round trips, each under a second even on a loaded machine, and ordered percentiles.
  expect(hop.roundTrips).toBeGreaterThan(10);
  expect(hop.p50Micros).toBeGreaterThan(0);
  expect(hop.p99Micros).toBeGreaterThanOrEqual(hop.p50Micros);
  expect(hop.p99Micros).toBeLessThan(1_000_000);
}

describe("the host probe", () => {
  it("reads CPU lists as Linux writes them", () => {
    expect(parseCoreList("0,1")).toEqual([0, 1]);
    expect(parseCoreList("0-1")).toEqual([0, 1]);
    expect(parseCoreList("0,2-4,7")).toEqual([0, 2, 3, 4, 7]);
    expect(parseCoreList("3")).toEqual([3]);
    expect(parseCoreList("")).toEqual([]);
    expect(parseCoreList("-3,x")).toEqual([]);
  });

  it("times round trips to a real second process until its time is up", async () => {
    const started = performance.now();
    expectRoundTrips(await probeProcessHop(0.3));
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
  });

  it("measures across two cores and on one, then gives every thread of the process its cores back", async () => {
    const before = threadCores();
    const probe = await probeHost(0.3);
    expect(threadCores()).toEqual(before);
    // taskset comes with util-linux, which every Debian has.
    expect(probe.pinned).toBe(availableParallelism() >= 2);
    if (probe.pinned) {
      expectRoundTrips(probe.acrossCores);
      expectRoundTrips(probe.oneCore);
    }
  });

  it("measures unpinned, and leaves the process where it was, when it may run on one core only", async () => {
    const before = threadCores();
    const core = String(availableParallelism() - 1);
    await run("taskset", ["-a", "-c", "-p", core, String(process.pid)]);
    try {
      const probe = await probeHost(0.3);
      expect(probe.pinned).toBe(false);
      if (!probe.pinned) expectRoundTrips(probe.unpinned);
      expect(new Set(threadCores())).toEqual(new Set([core]));
    } finally {
      await run("taskset", ["-a", "-c", "-p", before[0] ?? "0", String(process.pid)]);
    }
    expect(threadCores()).toEqual(before);
  });
});
