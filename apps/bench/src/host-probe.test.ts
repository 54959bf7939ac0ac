import { describe, expect, it } from "vitest";
import { probeProcessHop } from "./host-probe.ts";

describe("the process hop probe", () => {
  it("times round trips to a real second process until its time is up", async () => {
    const started = performance.now();
    const probe = await probeProcessHop(0.3);
    const elapsed = performance.now() - started;
    // Many round trips (each under a second, even on a loaded machine), ordered percentiles, and no longer than asked
    // plus a process start.
    expect(probe.roundTrips).toBeGreaterThan(10);
    expect(probe.p50Micros).toBeGreaterThan(0);
    expect(probe.p99Micros).toBeGreaterThanOrEqual(probe.p50Micros);
    expect(probe.p99Micros).toBeLessThan(1_000_000);
    expect(elapsed).toBeGreaterThanOrEqual(300);
  });
});
