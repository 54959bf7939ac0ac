import { mkdir, readFile, writeFile } from "node:fs/promises";
import { repoRoot } from "@inkwell/config";
import Table from "cli-table3";
import type { CeilingResult } from "./ceiling.ts";
import type { DatasetInfo, DatasetSpec } from "./dataset.ts";
import type { HostProbe } from "./host-probe.ts";
import type { LoadResult } from "./load.ts";
import type { CpuWindow } from "./noise.ts";
import type { PgbenchResult } from "./pgbench.ts";
import type { WebhookDeliveryStats } from "./webhook-subscriber.ts";

export interface ScenarioResult {
  id: number;
  name: string;
  http: LoadResult;
  warmupErrors: number;
  peakRssBytes: number;
  /** Statements (and waves of them) one request sends, when captured. */
  sql?: { statements: number; waves: number };
  ceiling?: CeilingResult;
  /** The same replay with named prepared statements (`--prepared`). */
  ceilingPrepared?: CeilingResult;
  pgbench?: PgbenchResult;
  /** Server requests/s over ceiling requests/s (with rounds, the median of each round's). */
  fractionOfCeiling?: number;
  /** The same load on a server with the production defaults (`--compare-defaults`). */
  defaults?: LoadResult;
  /** Defaults requests/s over the server's (with rounds, the median of each round's). */
  defaultsRatio?: number;
  /** Requests/s of each round (`--rounds`), the first included; `http`, `defaults` and `ceiling` are the first's. */
  rounds?: { http: number; defaults?: number; ceiling?: number }[];
  /** A second client's numbers, alone and alongside the load (`/healthz` during sign-in). */
  companions: { name: string; result: LoadResult }[];
  /** CPU taken by other processes (noise) and by the benchmark, while the server and the ceiling were measured. */
  cpu: { http?: CpuWindow; ceiling?: CpuWindow };
  /** What failing requests answered, when there were any. */
  failures: string[];
  /** Scenarios with a webhook subscriber: how its deliveries kept up. */
  webhooks?: WebhookDeliveryStats;
}

export interface RunReport {
  startedAt: string;
  finishedAt: string;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    node: string;
    postgres: string;
    loadAverageBefore: number[];
    /** A byte's round trip to another process, before the first scenario and after the last (host-probe.ts). */
    hostProbe?: { before: HostProbe; after: HostProbe };
  };
  settings: {
    durationSeconds: number;
    warmupSeconds: number;
    /** Rounds of server, ceiling and defaults in turn (`--rounds`). */
    rounds?: number;
    connections: number;
    poolMax: number;
    /** A module from src/experiments loaded into the server: not the production configuration. */
    experiment?: string;
    /** A second server with the production defaults was measured too (`--compare-defaults`). */
    compareDefaults?: boolean;
    /** Extra server environment (`--server-env`): not the production configuration either. */
    serverEnv?: Record<string, string>;
  };
  database: { source: string; spec: DatasetSpec } & DatasetInfo;
  scenarios: ScenarioResult[];
  ok: boolean;
}

const rate = (value: number | undefined) => (value === undefined ? "–" : Math.round(value).toLocaleString("en"));
const ms = (value: number | undefined) =>
  value === undefined || Number.isNaN(value) ? "–" : value < 10 ? value.toFixed(2) : value.toFixed(1);
/** The probe's medians: across cores and on one core when pinned. */
export const describeHostProbe = (probe: HostProbe) =>
  probe.pinned
    ? `${Math.round(probe.acrossCores.p50Micros)} µs across cores, ${Math.round(probe.oneCore.p50Micros)} µs on one`
    : `${Math.round(probe.unpinned.p50Micros)} µs (unpinned)`;
const mib = (bytes: number) => (bytes > 0 ? `${Math.round(bytes / 1024 / 1024)} MiB` : "–");
/** The median of the rounds' requests/s for one target, else the single run's. */
function perSecond(s: ScenarioResult, target: "http" | "defaults" | "ceiling"): number | undefined {
  const values = (s.rounds ?? []).map((round) => round[target]).filter((value) => value !== undefined);
  if (values.length > 1) return median(values);
  return target === "http" ? s.http.requestsPerSecond : s[target]?.requestsPerSecond;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export const percent = (fraction: number | undefined) =>
  fraction === undefined ? "–" : `${Math.round(fraction * 100)} %`;

interface Column {
  heading: string;
  cell(s: ScenarioResult): string;
  /** The companion row's cell (blank when omitted). */
  companion?(c: LoadResult): string;
  /** Shown only when some scenario has a value. */
  optional?: (s: ScenarioResult) => boolean;
}

const columns: Column[] = [
  { heading: "#", cell: (s) => String(s.id) },
  { heading: "scenario", cell: (s) => s.name },
  { heading: "req/s", cell: (s) => rate(perSecond(s, "http")), companion: (c) => rate(c.requestsPerSecond) },
  { heading: "p50 ms", cell: (s) => ms(s.http.p50), companion: (c) => ms(c.p50) },
  { heading: "p99 ms", cell: (s) => ms(s.http.p99), companion: (c) => ms(c.p99) },
  { heading: "errors", cell: (s) => String(s.http.errors + s.warmupErrors), companion: (c) => String(c.errors) },
  { heading: "peak RSS", cell: (s) => mib(s.peakRssBytes) },
  { heading: "SQL ceiling req/s", cell: (s) => rate(perSecond(s, "ceiling")) },
  { heading: "ceiling p50 ms", cell: (s) => ms(s.ceiling?.p50) },
  { heading: "of ceiling", cell: (s) => percent(s.fractionOfCeiling) },
  {
    heading: "ceiling, prepared req/s",
    cell: (s) => rate(s.ceilingPrepared?.requestsPerSecond),
    optional: (s) => s.ceilingPrepared !== undefined,
  },
  {
    heading: "production defaults req/s",
    cell: (s) => rate(perSecond(s, "defaults")),
    optional: (s) => s.defaults !== undefined,
  },
  {
    heading: "defaults ÷ bench",
    cell: (s) => percent(s.defaultsRatio),
    optional: (s) => s.defaults !== undefined,
  },
  { heading: "pgbench tps", cell: (s) => rate(s.pgbench?.tps), optional: (s) => s.pgbench !== undefined },
  {
    heading: "other load",
    cell: (s) => (s.cpu.http ? `${otherCores(s).toFixed(2)} cores` : "–"),
    optional: (s) => s.cpu.http !== undefined,
  },
];

/** The most CPU other processes took in the scenario's measured windows. */
export const otherCores = (s: ScenarioResult) => Math.max(s.cpu.http?.otherCores ?? 0, s.cpu.ceiling?.otherCores ?? 0);

function table(report: RunReport): { headings: string[]; rows: string[][] } {
  const shown = columns.filter((column) => !column.optional || report.scenarios.some(column.optional));
  const rows: string[][] = [];
  for (const s of report.scenarios) {
    rows.push(shown.map((column) => column.cell(s)));
    for (const companion of s.companions) {
      rows.push(
        shown.map((column) =>
          column.heading === "scenario" ? `↳ ${companion.name}` : (column.companion?.(companion.result) ?? ""),
        ),
      );
    }
  }
  return { headings: shown.map((column) => column.heading), rows };
}

export function printTable(report: RunReport): void {
  const { headings, rows } = table(report);
  const terminal = new Table({ head: headings, style: { head: [], border: [] } });
  for (const row of rows) terminal.push(row);
  console.log(terminal.toString());
}

export function markdownTable(report: RunReport): string {
  const { headings, rows } = table(report);
  const body = [headings, ...rows].map((cells) => cells.map((cell) => cell.replace(/\|/g, "\\|")));
  // Padded as the formatter (biome) writes tables, so a recorded file passes `pnpm lint`.
  const widths = headings.map((_, column) => Math.max(3, ...body.map((cells) => (cells[column] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(" | ")} |`;
  const [head = [], ...rest] = body;
  const lines = [line(head), line(widths.map((width) => "-".repeat(width))), ...rest.map(line)];
  const { settings, machine } = report;
  return [
    `Run of ${report.startedAt.slice(0, 16).replace("T", " ")} UTC: ${settings.connections} connections, ` +
      `${settings.warmupSeconds} s warm-up, ${settings.durationSeconds} s measured per scenario` +
      (settings.rounds && settings.rounds > 1
        ? ` and round (${settings.rounds} rounds: req/s are medians, ratios the median of the rounds'), `
        : ", ") +
      `server pool ${settings.poolMax}${settings.experiment ? `, experiment ${settings.experiment}` : ""}` +
      `${settings.serverEnv ? `, server environment ${JSON.stringify(settings.serverEnv)}` : ""}; ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, ` +
      `PostgreSQL ${machine.postgres}; load average before the run ${machine.loadAverageBefore.map((n) => n.toFixed(2)).join(" ")}` +
      (machine.hostProbe
        ? `; a byte's round trip to another process (median) ${describeHostProbe(machine.hostProbe.before)} before ` +
          `the run, ${describeHostProbe(machine.hostProbe.after)} after`
        : "") +
      ".",
    "",
    ...lines,
  ].join("\n");
}

export async function writeJson(report: RunReport): Promise<string> {
  const folder = `${repoRoot}apps/bench/results`;
  await mkdir(folder, { recursive: true });
  const file = `${folder}/${report.startedAt.replace(/[:.]/g, "-")}.json`;
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

const START = "<!-- bench:results:start -->";
const END = "<!-- bench:results:end -->";

/** Replaces the results section of BENCHMARKS.md (between its markers) with this run. */
export async function recordInBenchmarksMd(report: RunReport): Promise<string> {
  const file = `${repoRoot}BENCHMARKS.md`;
  const text = await readFile(file, "utf8");
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  if (from < 0 || to < from) throw new Error(`${file} has no ${START} … ${END} section`);
  const updated = `${text.slice(0, from + START.length)}\n\n${markdownTable(report)}\n\n${text.slice(to)}`;
  await writeFile(file, updated);
  return file;
}
