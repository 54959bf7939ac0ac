import type { CapturedRequest } from "./ceiling.ts";
import { replay, shape } from "./ceiling.ts";
import type { Flags } from "./flags.ts";
import { type LoadResult, runLoad, sampleFailure } from "./load.ts";
import type { CpuMeter } from "./noise.ts";
import { runPgbench } from "./pgbench.ts";
import { waitForIdleQueue } from "./queue.ts";
import { median, percent, type ScenarioResult } from "./report.ts";
import type { Fixtures, Scenario } from "./scenarios.ts";
import type { BenchServer } from "./server.ts";
import { subscribeWebhookReceiver, type WebhookDeliveryStats } from "./webhook-subscriber.ts";

export const log = (line: string) => console.error(line);

/**
 * One scenario: the server under load (after a warm-up), a second client if the
 * scenario has one, then the captured SQL replayed as the ceiling.
 */
export async function measureScenario(
  scenario: Scenario,
  flags: Flags,
  context: {
    server: BenchServer;
    /** A second server with the production defaults (`--compare-defaults`), loaded after the first. */
    defaultsServer?: BenchServer;
    fixtures: Fixtures;
    databaseUrl: string;
    captured?: CapturedRequest[];
    meter: CpuMeter;
  },
  pgbench: string | undefined,
): Promise<ScenarioResult> {
  const { server, fixtures, captured } = context;
  const plan = scenario.request(fixtures);
  const load = { url: server.url, plan, connections: flags.connections, expectedStatus: scenario.expectedStatus };
  log(`\n${scenario.id}. ${scenario.name}`);
  const defaultsServer = context.defaultsServer;
  // As browsers ask: compressed answers (the production default compresses what is asked for).
  const loadDefaults = (durationSeconds: number) =>
    runLoad({
      url: (defaultsServer as BenchServer).url,
      plan: { ...plan, headers: { ...plan.headers, "accept-encoding": "gzip, deflate, br" } },
      connections: flags.connections,
      expectedStatus: scenario.expectedStatus,
      durationSeconds,
    });
  // Each server runs the jobs its load queues in its own process, as it would alone: the one not measured is
  // frozen, so its worker takes none of them (the two share the queue), and the defaults server's jobs are run
  // before it is frozen again (BENCHMARKS.md, finding 18).
  const onDefaults = async <T>(run: () => Promise<T>): Promise<T> => {
    const defaults = defaultsServer as BenchServer;
    server.freeze();
    defaults.thaw();
    try {
      const measured = await run();
      defaults.assertRunning("the server with the production defaults");
      await quietQueue();
      return measured;
    } finally {
      defaults.freeze();
      server.thaw();
    }
  };
  const ceilingOptions = { connections: flags.connections, poolMax: flags.poolMax };
  // A write queues jobs (comment notifications) that the bench server's worker runs after the load: the next
  // measurement (the defaults server, another round) would share the cores with them. It waits for them.
  const quietQueue = async () => {
    if (plan.method === "GET") return;
    const waited = await waitForIdleQueue(context.databaseUrl);
    if (waited >= 1) log(`   (waited ${waited.toFixed(0)} s for the job queue to run what earlier loads queued)`);
  };
  const noteFailures = (round: number, counts: [name: string, errors: number][]) => {
    for (const [name, errors] of counts) {
      if (errors > 0) result.failures.push(`round ${round}, ${name}: ${errors} failed`);
    }
  };

  const companion = scenario.companion;
  const companionLoad = (durationSeconds: number) =>
    companion && runLoad({ url: server.url, plan: companion.request, connections: 1, durationSeconds });
  // The companion alone first, as the reference for its numbers under load.
  const atRest = await companionLoad(Math.min(flags.durationSeconds, 3));
  // A webhook scenario's reference: the same load with no endpoint subscribed, measured just before it, so the two
  // rates come from the same stretch of a shared machine (each after the queue has run what came before).
  let withoutSubscriber: LoadResult | undefined;
  if (scenario.webhookSubscriber) {
    await quietQueue();
    if (flags.warmupSeconds > 0) await runLoad({ ...load, durationSeconds: flags.warmupSeconds });
    withoutSubscriber = await runLoad({ ...load, durationSeconds: flags.durationSeconds });
    log(`   no endpoint subscribed: ${Math.round(withoutSubscriber.requestsPerSecond)} req/s`);
    await quietQueue();
  }
  const subscriber = scenario.webhookSubscriber
    ? await subscribeWebhookReceiver(server.url, fixtures.token)
    : undefined;
  server.resetPeak();
  const warmup = flags.warmupSeconds > 0 ? await runLoad({ ...load, durationSeconds: flags.warmupSeconds }) : undefined;
  subscriber?.startMeasuring();
  const httpWindow = context.meter.start();
  const [http, underLoad] = await Promise.all([
    runLoad({ ...load, durationSeconds: flags.durationSeconds }),
    companionLoad(flags.durationSeconds),
  ]);
  const httpCpu = httpWindow();
  server.assertRunning("the server");
  const result: ScenarioResult = {
    id: scenario.id,
    name: scenario.name,
    http,
    warmupErrors: warmup?.errors ?? 0,
    peakRssBytes: server.peakRssBytes(),
    companions: [],
    failures: [],
    cpu: { http: httpCpu },
  };
  if (withoutSubscriber) {
    result.companions.push({ name: "the same, no endpoint subscribed, just before", result: withoutSubscriber });
  }
  if (companion && atRest && underLoad) {
    result.companions.push(
      { name: `${companion.name} at rest, before`, result: atRest },
      { name: `${companion.name} during the load`, result: underLoad },
    );
  }
  log(
    `   server: ${Math.round(http.requestsPerSecond)} req/s, p50 ${http.p50.toFixed(2)} ms, p99 ${http.p99.toFixed(2)} ms`,
  );
  if (subscriber) {
    const webhooks = await subscriber.finish(http.requests - http.errors);
    result.webhooks = webhooks;
    if (withoutSubscriber) {
      webhooks.ofUnsubscribed = http.requestsPerSecond / withoutSubscriber.requestsPerSecond;
      log(`   with the endpoint subscribed: ${percent(webhooks.ofUnsubscribed)} of the rate without one`);
    }
    log(
      `   webhooks: ${webhooks.delivered} delivered, ${webhooks.deliveriesPerSecond.toFixed(0)}/s, ` +
        `commit → delivery p50 ${webhooks.p50Ms.toFixed(0)} ms, p99 ${webhooks.p99Ms.toFixed(0)} ms` +
        (webhooks.undelivered > 0 ? `, ${webhooks.undelivered} not delivered within 2 minutes` : ""),
    );
    if (webhooks.undelivered > 0) result.failures.push(`${webhooks.undelivered} webhook deliveries did not arrive`);
  }
  if (http.errors + result.warmupErrors > 0) {
    result.failures.push(
      `status codes ${JSON.stringify(http.statusCodes)}, socket errors and timeouts ${http.socketErrors}` +
        (warmup?.errors ? ` (warm-up: ${warmup.errors} failed)` : ""),
      `a request repeated now answers: ${await sampleFailure(server.url, plan)}`,
    );
  }
  for (const { name, result: side } of result.companions) {
    if (side.errors > 0) {
      result.failures.push(
        `${name}: status codes ${JSON.stringify(side.statusCodes)}, socket errors ${side.socketErrors}`,
      );
    }
  }

  if (context.defaultsServer && scenario.webhookSubscriber) {
    // The endpoint and its receiver belong to the bench server and are gone by now: it would measure scenario 6 again.
    log("   production defaults: not measured (the subscriber and the job worker belong to the bench server)");
  } else if (context.defaultsServer) {
    await quietQueue();
    const { warm, measured } = await onDefaults(async () => ({
      warm: flags.warmupSeconds > 0 ? await loadDefaults(flags.warmupSeconds) : undefined,
      measured: await loadDefaults(flags.durationSeconds),
    }));
    result.defaults = measured;
    result.defaultsRatio = result.defaults.requestsPerSecond / http.requestsPerSecond;
    log(
      `   production defaults: ${Math.round(result.defaults.requestsPerSecond)} req/s ` +
        `(${Math.round(result.defaultsRatio * 100)} % of the bench settings')`,
    );
    if (result.defaults.errors + (warm?.errors ?? 0) > 0) {
      result.failures.push(
        `production defaults: status codes ${JSON.stringify(result.defaults.statusCodes)}, ` +
          `socket errors ${result.defaults.socketErrors}` +
          (warm?.errors ? ` (warm-up: ${warm.errors} failed)` : ""),
      );
    }
  }

  if (captured) {
    const options = ceilingOptions;
    result.sql = shape(captured);
    if (flags.warmupSeconds > 0) {
      await replay(context.databaseUrl, captured, { ...options, durationSeconds: flags.warmupSeconds });
    }
    result.ceiling = await replay(context.databaseUrl, captured, {
      ...options,
      durationSeconds: flags.durationSeconds,
      meter: context.meter,
    });
    result.cpu.ceiling = result.ceiling.cpu;
    result.fractionOfCeiling = http.requestsPerSecond / result.ceiling.requestsPerSecond;
    log(
      `   SQL ceiling (${result.sql.statements} statements in ${result.sql.waves} waves): ` +
        `${Math.round(result.ceiling.requestsPerSecond)} req/s, p50 ${result.ceiling.p50.toFixed(2)} ms`,
    );
    if (result.ceiling.errors > 0) result.failures.push(`ceiling replay: ${result.ceiling.firstError}`);
    if (flags.prepared) {
      const prepared = await replay(context.databaseUrl, captured, {
        ...options,
        durationSeconds: flags.durationSeconds,
        prepare: true,
      });
      log(`   SQL ceiling with prepared statements: ${Math.round(prepared.requestsPerSecond)} req/s`);
      result.ceilingPrepared = prepared;
      if (prepared.errors > 0) result.failures.push(`prepared ceiling replay: ${prepared.firstError}`);
    }
    if (pgbench) {
      try {
        result.pgbench = await runPgbench(context.databaseUrl, captured, {
          clients: Math.min(flags.connections, flags.poolMax),
          durationSeconds: flags.durationSeconds,
        });
        log(`   pgbench: ${Math.round(result.pgbench.tps)} tps`);
        if (result.pgbench.failed > 0) result.failures.push(`pgbench: ${result.pgbench.failed} failed transactions`);
      } catch (error) {
        result.failures.push(`pgbench: ${(error as Error).message.split("\n").slice(0, 3).join(" ")}`);
      }
    }
  }
  if (flags.rounds > 1 && !companion && !subscriber) await moreRounds();
  if (flags.rounds > 1 && subscriber && withoutSubscriber && result.webhooks) await moreSubscriberRounds();
  return result;

  /**
   * Rounds 2 to N of a webhook scenario: the load without a subscriber, then with one, again; the share shown is
   * the median of each round's.
   */
  async function moreSubscriberRounds() {
    const rounds = [
      { http: http.requestsPerSecond, unsubscribed: (withoutSubscriber as LoadResult).requestsPerSecond },
    ];
    for (let round = 2; round <= flags.rounds; round++) {
      await quietQueue();
      const without = await runLoad({ ...load, durationSeconds: flags.durationSeconds });
      await quietQueue();
      const again = await subscribeWebhookReceiver(server.url, fixtures.token);
      again.startMeasuring();
      const withOne = await runLoad({ ...load, durationSeconds: flags.durationSeconds });
      const stats = await again.finish(withOne.requests - withOne.errors);
      noteFailures(round, [
        ["no endpoint subscribed", without.errors],
        ["endpoint subscribed", withOne.errors],
      ]);
      if (stats.undelivered > 0)
        result.failures.push(`round ${round}: ${stats.undelivered} webhook deliveries did not arrive`);
      rounds.push({ http: withOne.requestsPerSecond, unsubscribed: without.requestsPerSecond });
      log(
        `   round ${round}: no endpoint ${Math.round(without.requestsPerSecond)} req/s, ` +
          `subscribed ${Math.round(withOne.requestsPerSecond)} (${percent(withOne.requestsPerSecond / without.requestsPerSecond)}), ` +
          `${stats.delivered} delivered, commit → delivery p99 ${stats.p99Ms.toFixed(0)} ms`,
      );
    }
    result.rounds = rounds.map(({ http }) => ({ http }));
    const webhooks = result.webhooks as WebhookDeliveryStats;
    webhooks.ofUnsubscribed = median(rounds.map((round) => round.http / round.unsubscribed));
    webhooks.unsubscribedRounds = rounds.map((round) => round.unsubscribed);
    const reference = result.companions.find((side) => side.result === withoutSubscriber);
    if (reference) {
      reference.name = "the same, no endpoint subscribed (req/s: median of the rounds)";
      reference.result = { ...reference.result, requestsPerSecond: median(webhooks.unsubscribedRounds) };
    }
    log(
      `   medians of ${rounds.length} rounds: no endpoint ${Math.round(median(webhooks.unsubscribedRounds))} req/s, ` +
        `subscribed ${Math.round(median(rounds.map((round) => round.http)))}, ${percent(webhooks.ofUnsubscribed)} of the rate without one`,
    );
  }

  /**
   * Rounds 2 to N (`--rounds`): the server, the defaults server and the ceiling again, in turn, without warm-ups.
   * Each round's ratios pair numbers taken a few seconds apart; their medians are what the table shows.
   */
  async function moreRounds() {
    const first = {
      http: http.requestsPerSecond,
      defaults: result.defaults?.requestsPerSecond,
      ceiling: result.ceiling?.requestsPerSecond,
    };
    const rounds = [first];
    for (let round = 2; round <= flags.rounds; round++) {
      await quietQueue();
      const again = await runLoad({ ...load, durationSeconds: flags.durationSeconds });
      if (result.defaults) await quietQueue();
      const defaultsAgain = result.defaults ? await onDefaults(() => loadDefaults(flags.durationSeconds)) : undefined;
      const ceilingAgain =
        result.ceiling && captured
          ? await replay(context.databaseUrl, captured, { ...ceilingOptions, durationSeconds: flags.durationSeconds })
          : undefined;
      noteFailures(round, [
        ["server", again.errors],
        ["production defaults", defaultsAgain?.errors ?? 0],
        ["ceiling replay", ceilingAgain?.errors ?? 0],
      ]);
      rounds.push({
        http: again.requestsPerSecond,
        defaults: defaultsAgain?.requestsPerSecond,
        ceiling: ceilingAgain?.requestsPerSecond,
      });
      log(
        `   round ${round}: server ${Math.round(again.requestsPerSecond)} req/s` +
          (defaultsAgain ? `, defaults ${Math.round(defaultsAgain.requestsPerSecond)}` : "") +
          (ceilingAgain ? `, ceiling ${Math.round(ceilingAgain.requestsPerSecond)}` : ""),
      );
    }
    result.rounds = rounds;
    const ratios = (of: (round: (typeof rounds)[number]) => number | undefined) =>
      rounds.map(of).filter((ratio): ratio is number => ratio !== undefined && Number.isFinite(ratio));
    const ofCeiling = ratios((round) => (round.ceiling ? round.http / round.ceiling : undefined));
    if (ofCeiling.length > 0) result.fractionOfCeiling = median(ofCeiling);
    const ofDefaults = ratios((round) => (round.defaults !== undefined ? round.defaults / round.http : undefined));
    if (ofDefaults.length > 0) result.defaultsRatio = median(ofDefaults);
    log(
      `   medians of ${rounds.length} rounds: ` +
        [
          `server ${Math.round(median(rounds.map((round) => round.http)))} req/s`,
          result.fractionOfCeiling !== undefined && `${percent(result.fractionOfCeiling)} of the ceiling`,
          result.defaultsRatio !== undefined && `defaults ${percent(result.defaultsRatio)}`,
        ]
          .filter(Boolean)
          .join(", "),
    );
  }
}
