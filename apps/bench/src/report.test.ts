import { describe, expect, it } from "vitest";
import type { LoadResult } from "./load.ts";
import { markdownTable, median, type RunReport, type ScenarioResult } from "./report.ts";

const load = (requestsPerSecond: number): LoadResult => ({
  requests: requestsPerSecond * 10,
  seconds: 10,
  requestsPerSecond,
  p50: 5,
  p99: 9,
  errors: 0,
  socketErrors: 0,
  statusCodes: {},
});

function report(scenario: Partial<ScenarioResult>): RunReport {
  return {
    startedAt: "2026-12-01T04:00:00.000Z",
    finishedAt: "2026-12-01T04:10:00.000Z",
    machine: { cpus: 2, cpuModel: "test", memoryGiB: 24, node: "20", postgres: "18", loadAverageBefore: [0, 0, 0] },
    settings: { durationSeconds: 10, warmupSeconds: 3, connections: 20, poolMax: 10, rounds: 3, compareDefaults: true },
    database: { source: "embedded" } as RunReport["database"],
    scenarios: [
      {
        id: 8,
        name: "REST profile, anonymous",
        http: load(2000),
        warmupErrors: 0,
        peakRssBytes: 0,
        companions: [],
        cpu: {},
        failures: [],
        ...scenario,
      },
    ],
    ok: true,
  };
}

describe("the results table", () => {
  it("takes the middle value, or the mean of the two middle ones", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("shows the rounds' median req/s and the ratios measure gave, not the first round's", () => {
    const table = markdownTable(
      report({
        ceiling: { requests: 0, seconds: 10, requestsPerSecond: 4000, p50: 3, p99: 5, errors: 0 },
        defaults: load(1000),
        fractionOfCeiling: 0.55,
        defaultsRatio: 0.97,
        rounds: [
          { http: 2000, defaults: 1000, ceiling: 4000 },
          { http: 2900, defaults: 2800, ceiling: 5200 },
          { http: 2800, defaults: 2750, ceiling: 5100 },
        ],
      }),
    );
    const lines = table.split("\n");
    const cellsOf = (line: string | undefined) =>
      line
        ?.split("|")
        .slice(1, -1)
        .map((cell) => cell.trim()) ?? [];
    const headings = cellsOf(lines.find((line) => line.startsWith("| #")));
    const cells = cellsOf(lines.find((line) => line.startsWith("| 8 ")));
    expect(Object.fromEntries(headings.map((heading, i) => [heading, cells[i]]))).toMatchObject({
      "req/s": "2,800",
      "SQL ceiling req/s": "5,100",
      "of ceiling": "55 %",
      "production defaults req/s": "2,750",
      "defaults ÷ bench": "97 %",
    });
    expect(table).toContain("3 rounds: req/s are medians");
  });

  it("says how long a byte took to another process and back, before the run and after it", () => {
    const probed = report({});
    const first = (text: string) => text.split("\n")[0] ?? "";
    expect(first(markdownTable(probed))).not.toContain("round trip");
    const hop = (p50Micros: number) => ({ roundTrips: 1_000, p50Micros, p99Micros: p50Micros * 3 });
    probed.machine.hostProbe = {
      before: { pinned: true, acrossCores: hop(48.4), oneCore: hop(20.2) },
      after: { pinned: false, unpinned: hop(201.6) },
    };
    expect(first(markdownTable(probed))).toMatch(
      /; a byte's round trip to another process \(median\) 48 µs across cores, 20 µs on one before the run, 202 µs \(unpinned\) after\.$/,
    );
  });
});
