import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { repoRoot } from "@inkwell/config";
import { scenarios } from "./scenarios.ts";

export const usage = `Usage: pnpm bench [options]

  --duration N      measured seconds per scenario (default 10)
  --warmup N        warm-up seconds per scenario, not measured (default 3)
  --rounds N        measure the server, its ceiling and the defaults server N times in turn (default 1): req/s
                    columns are medians, ratios the median of each round's ratio, so one slow stretch of a
                    shared machine does not decide them
  --connections N   concurrent HTTP connections, and SQL ceiling workers (default 20)
  --pool N          the server's DATABASE_POOL_MAX, and the ceiling's pool (default 10)
  --scenarios LIST  e.g. 1,2,5 (default: all)
${scenarios.map((s) => `                      ${s.id}. ${s.name}`).join("\n")}
  --no-ceiling      skip the SQL ceiling runs
  --compare-defaults  also load a second server with the production defaults (rate limits counted, request
                    logging at info, compressed answers) and show its req/s beside the bench settings'
  --prepared        also replay the ceiling with named prepared statements (what drizzle does not do)
  --explain         print the plans of the captured SQL (custom and generic) and stop; no load
  --reseed          seed the bench database again
  --profile         write a CPU profile of the server (apps/bench/results/profiles) and summarize it
                    (of both servers with --compare-defaults)
  --record          write this run's table into BENCHMARKS.md
  --server-env K=V  an extra environment variable for the server (repeatable), e.g. UV_THREADPOOL_SIZE=1
  --experiment NAME load apps/bench/src/experiments/NAME.ts into the server first
                    (prepared-statements: drizzle sends named prepared statements;
                    sampling-profiler: V8's sampling profiler runs in the server, EXPERIMENT_SAMPLING_US apart)

Database: BENCH_DATABASE_URL as is; else database "inkwell_bench" on the DATABASE_URL server;
else an embedded PostgreSQL in .data/bench-postgres.`;

export function parseFlags() {
  // `pnpm bench -- --duration 5` may hand over the "--" itself.
  const args = process.argv.slice(2).filter((arg, index) => !(index === 0 && arg === "--"));
  const { values } = parseArgs({
    args,
    options: {
      duration: { type: "string", default: "10" },
      warmup: { type: "string", default: "3" },
      rounds: { type: "string", default: "1" },
      connections: { type: "string", default: "20" },
      pool: { type: "string", default: "10" },
      scenarios: { type: "string" },
      "no-ceiling": { type: "boolean", default: false },
      "compare-defaults": { type: "boolean", default: false },
      prepared: { type: "boolean", default: false },
      reseed: { type: "boolean", default: false },
      explain: { type: "boolean", default: false },
      profile: { type: "boolean", default: false },
      record: { type: "boolean", default: false },
      experiment: { type: "string" },
      "server-env": { type: "string", multiple: true, default: [] },
      help: { type: "boolean", default: false },
    },
  });
  const whole = (name: string, value: string, min: number) => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < min) throw new UsageError(`--${name} expects a whole number ≥ ${min}`);
    return number;
  };
  if (values.experiment && !existsSync(experimentFile(values.experiment))) {
    throw new UsageError(`no experiment ${experimentFile(values.experiment)}`);
  }
  const chosen = values.scenarios
    ? values.scenarios.split(",").map((id) => whole("scenarios", id.trim(), 1))
    : scenarios.map((s) => s.id);
  const unknown = chosen.filter((id) => !scenarios.some((s) => s.id === id));
  if (unknown.length > 0) throw new UsageError(`no scenario ${unknown.join(", ")}`);
  return {
    help: values.help,
    durationSeconds: whole("duration", values.duration, 1),
    warmupSeconds: whole("warmup", values.warmup, 0),
    rounds: whole("rounds", values.rounds, 1),
    connections: whole("connections", values.connections, 1),
    poolMax: whole("pool", values.pool, 1),
    scenarios: scenarios.filter((s) => chosen.includes(s.id)),
    ceiling: !values["no-ceiling"],
    compareDefaults: values["compare-defaults"],
    prepared: values.prepared,
    reseed: values.reseed,
    explain: values.explain,
    profile: values.profile,
    record: values.record,
    experiment: values.experiment,
    serverEnv: Object.fromEntries(
      values["server-env"].map((pair) => {
        const at = pair.indexOf("=");
        if (at < 1) throw new UsageError(`--server-env expects NAME=VALUE, got "${pair}"`);
        return [pair.slice(0, at), pair.slice(at + 1)];
      }),
    ),
  };
}

export class UsageError extends Error {}

/** Above this many cores used by other processes, a run is called noisy. */
export const NOISY_CORES = 0.2;

export const experimentFile = (name: string) => `${repoRoot}apps/bench/src/experiments/${name}.ts`;

export type Flags = ReturnType<typeof parseFlags>;
