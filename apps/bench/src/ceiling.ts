import { randomUUID } from "node:crypto";
import { appRouter, createCallerFactory, createContext, createLinkBuilder, defaultAuthSettings } from "@inkwell/api";
import { connect, type SqlClient } from "@inkwell/db";
import type { CpuMeter, CpuWindow } from "./noise.ts";
import { percentile } from "./percentile.ts";

const createCaller = createCallerFactory(appRouter);
export type Caller = ReturnType<typeof createCaller>;

export interface Statement {
  statement: string;
  parameters: unknown[];
}

/**
 * What one request sends to PostgreSQL: statements in waves. A wave is what
 * the server sent together (e.g. a page and its count under `Promise.all`);
 * the next wave waits for the previous one's answers.
 */
export interface CapturedRequest {
  waves: Statement[][];
}

export interface CeilingResult {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  firstError?: string;
  /** CPU of other processes and of the benchmark during the replay (its backends end with it). */
  cpu?: CpuWindow;
}

/**
 * Calls procedures in process, through the real router and context (as the
 * server does for each HTTP request), and records the SQL each call sends.
 */
export async function openCapture(url: string) {
  let recording: (Statement & { tick: number })[] | undefined;
  // Statements sent in the same turn of the event loop were sent side by side: one wave.
  let tick = 0;
  let ticking = false;
  const advance = () => {
    tick++;
    if (ticking) setImmediate(advance);
  };
  const traced = connect({
    url,
    maxConnections: 4,
    applicationName: "inkwell-bench-capture",
    onQuery: (statement, parameters) => recording?.push({ statement, parameters, tick }),
  });
  const deps = {
    db: traced.db,
    sql: traced.sql,
    version: "bench",
    authSettings: defaultAuthSettings,
    counters: traced.db,
    logger: console,
    links: createLinkBuilder(() => "http://127.0.0.1"),
  };

  async function caller(token?: string): Promise<Caller> {
    const meta = {
      requestId: randomUUID(),
      ip: "127.0.0.1",
      userAgent: "inkwell-bench",
      headers: new Headers(token ? { authorization: `Bearer ${token}` } : {}),
      origin: "http://127.0.0.1",
      secure: false,
      usesCookies: true,
    };
    return createCaller(await createContext({ deps, meta, resHeaders: new Headers() }));
  }

  /** Runs `call` twice (the first warms the pool and refreshes the session) and keeps the second one's SQL. */
  async function capture(token: string | undefined, call: (api: Caller) => Promise<unknown>): Promise<CapturedRequest> {
    await call(await caller(token));
    recording = [];
    ticking = true;
    advance();
    try {
      await call(await caller(token));
    } finally {
      ticking = false;
    }
    const sent = recording;
    recording = undefined;
    const waves: Statement[][] = [];
    let lastTick: number | undefined;
    for (const { statement, parameters, tick: at } of sent) {
      if (at !== lastTick) waves.push([]);
      waves.at(-1)?.push({ statement, parameters });
      lastTick = at;
    }
    return { waves };
  }

  return { capture, close: () => traced.close() };
}

/**
 * Replays captured requests straight through postgres.js, as drizzle sends
 * them (unnamed statements, rows as arrays), with `connections` workers over a
 * pool as large as the server's, for `durationSeconds`.
 */
export async function replay(
  url: string,
  variants: CapturedRequest[],
  options: { connections: number; poolMax: number; durationSeconds: number; prepare?: boolean; meter?: CpuMeter },
): Promise<CeilingResult> {
  const { sql, close } = connect({ url, maxConnections: options.poolMax, applicationName: "inkwell-bench-ceiling" });
  const prepare = options.prepare ?? false;
  const send = (db: SqlClient, { statement, parameters }: Statement) =>
    db.unsafe(statement, parameters as never[], { prepare }).values();
  try {
    // Open the pool before the clock starts.
    await Promise.all(Array.from({ length: options.poolMax }, () => sql`select 1`));
    const latencies: number[] = [];
    let errors = 0;
    let firstError: string | undefined;
    let next = 0;
    const window = options.meter?.start();
    const started = performance.now();
    const deadline = started + options.durationSeconds * 1000;
    const worker = async () => {
      while (performance.now() < deadline) {
        const request = variants[next++ % variants.length] as CapturedRequest;
        const begun = performance.now();
        try {
          for (const wave of request.waves) await Promise.all(wave.map((statement) => send(sql, statement)));
          latencies.push(performance.now() - begun);
        } catch (error) {
          errors++;
          firstError ??= (error as Error).message;
        }
      }
    };
    await Promise.all(Array.from({ length: options.connections }, worker));
    const seconds = (performance.now() - started) / 1000;
    const cpu = window?.();
    const sorted = Float64Array.from(latencies).sort();
    return {
      requests: latencies.length,
      seconds,
      requestsPerSecond: latencies.length / seconds,
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      errors,
      firstError,
      cpu,
    };
  } finally {
    await close();
  }
}

/** How many statements and waves one request sends, for the report. */
export function shape(variants: CapturedRequest[]): { statements: number; waves: number } {
  const first = variants[0] ?? { waves: [] };
  return { statements: first.waves.flat().length, waves: first.waves.length };
}
