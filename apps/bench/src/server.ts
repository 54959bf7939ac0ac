import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeEncryptionKey, generateEncryptionKey } from "@inkwell/auth";
import { repoRoot } from "@inkwell/config";
import getPort from "get-port";

/**
 * One key for every server of the run, as production shares `ENCRYPTION_KEY`: with a key of its own, the
 * production-defaults server's worker could not open the endpoint's secret, and every delivery it took failed
 * and waited for a retry (BENCHMARKS.md, finding 9).
 */
const RUN_ENCRYPTION_KEY = encodeEncryptionKey(generateEncryptionKey());

export interface ServerOptions {
  databaseUrl: string;
  poolMax: number;
  /** Write a V8 CPU profile of the server into this folder when it exits. */
  cpuProfileDir?: string;
  /** Extra modules the server imports first (experiments in src/experiments). */
  imports?: string[];
  /** Extra environment variables (experiments); the bench's own settings win. */
  env?: Record<string, string>;
  /**
   * Production defaults instead of the bench's settings: rate limits counted (at the highest limit, so the load
   * from one address is not refused: the counting costs the same below any limit) and request logging at info.
   */
  productionDefaults?: boolean;
}

export interface BenchServer {
  url: string;
  pid: number;
  /** Seconds from spawn to ready: the start-up part of a CPU profile. */
  startSeconds: number;
  /** Everything the server printed (warnings and errors only, at LOG_LEVEL=warn). */
  output(): string;
  /**
   * Stops the process where it is (SIGSTOP) until `thaw()`: while the other server is measured, this one's job
   * worker must take none of that server's jobs (the two share the queue), and its timers must not run.
   */
  freeze(): void;
  thaw(): void;
  /** Throws when the process has ended: a load against it measured nothing (main.ts prints what it logged). */
  assertRunning(name: string): void;
  /** Starts a new peak-memory window; `peakRssBytes()` reports the highest RSS seen since. */
  resetPeak(): void;
  peakRssBytes(): number;
  stop(): Promise<void>;
}

const serverMain = `${repoRoot}apps/server/src/main.ts`;

/** Resident set size from /proc (Linux), else from the server's own Prometheus metrics. */
async function residentBytes(pid: number, url: string): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const kib = status.match(/^VmRSS:\s+(\d+)\s+kB/m)?.[1];
    if (kib) return Number(kib) * 1024;
  } catch {
    // Not Linux: ask the server.
  }
  try {
    const text = await (await fetch(`${url}/metrics`)).text();
    const value = text.match(/^process_resident_memory_bytes\s+(\S+)/m)?.[1];
    return value ? Number(value) : undefined;
  } catch {
    return undefined;
  }
}

/** A file in a folder of its own for the server's standard output, and a way to read its end. */
function serverLog() {
  const dir = mkdtempSync(join(tmpdir(), "inkwell-bench-server-"));
  const path = join(dir, "stdout.log");
  const fd = openSync(path, "w");
  return {
    fd,
    tail(bytes: number): string {
      const reader = openSync(path, "r");
      try {
        const size = fstatSync(reader).size;
        const buffer = Buffer.alloc(Math.min(size, bytes));
        readSync(reader, buffer, 0, buffer.length, size - buffer.length);
        return buffer.toString();
      } finally {
        closeSync(reader);
      }
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function waitForReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  // Generous: on the shared 2-core machine a start under load can take over a minute.
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited during start:\n${output()}`);
    const status = await fetch(`${url}/readyz`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the server was not ready within 180 s:\n${output()}`);
}

/**
 * The real entry point in production configuration, as a child process, with
 * rate limits off so the load is not refused. Ready once `/readyz` answers 200
 * (at LOG_LEVEL=warn the "listening" line is not printed).
 */
export async function startBenchServer(options: ServerOptions): Promise<BenchServer> {
  const port = await getPort({ host: "127.0.0.1" });
  const spawnedAt = performance.now();
  const url = `http://127.0.0.1:${port}`;
  const nodeFlags = options.cpuProfileDir ? ["--cpu-prof", "--cpu-prof-dir", options.cpuProfileDir] : [];
  const imports = ["tsx", ...(options.imports ?? [])].flatMap((specifier) => ["--import", specifier]);
  const log = serverLog();
  const child = spawn(process.execPath, [...nodeFlags, ...imports, serverMain], {
    cwd: repoRoot,
    env: {
      ...options.env,
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "production",
      LOG_LEVEL: options.productionDefaults ? "info" : "warn",
      HOST: "127.0.0.1",
      PORT: String(port),
      DATABASE_URL: options.databaseUrl,
      DATABASE_POOL_MAX: String(options.poolMax),
      RATE_LIMIT_IP_PER_MINUTE: options.productionDefaults ? "1000000" : "0",
      RATE_LIMIT_CREDENTIAL_PER_MINUTE: options.productionDefaults ? "1000000" : "0",
      // Webhook scenarios: secrets are sealed under a key (DATABASE_URL is set, so none is generated),
      // and the receiver is local.
      ENCRYPTION_KEY: RUN_ENCRYPTION_KEY,
      WEBHOOK_ALLOWED_HOSTS: "127.0.0.1",
    },
    // Standard output goes to a file, as a production log does (a file, or a collector on another core or
    // machine), not through a pipe into this process: under the production defaults the server logs every
    // request, and reading those lines here took CPU from autocannon, which runs in this process and sets the
    // pace (BENCHMARKS.md, finding 16).
    stdio: ["ignore", log.fd, "pipe"],
  });
  closeSync(log.fd);
  const stderrChunks: string[] = [];
  child.stderr?.on("data", (chunk: Buffer) => {
    stderrChunks.push(chunk.toString());
    if (stderrChunks.length > 200) stderrChunks.shift();
  });
  const output = () => `${log.tail(200_000)}${stderrChunks.join("")}`.slice(-200_000);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  try {
    await waitForReady(url, child, output);
  } catch (error) {
    child.kill("SIGKILL");
    log.remove();
    throw error;
  }

  const pid = child.pid as number;
  const startSeconds = (performance.now() - spawnedAt) / 1000;
  let peak = 0;
  let sampling = false;
  const sample = async () => {
    if (sampling) return;
    sampling = true;
    const bytes = await residentBytes(pid, url);
    if (bytes !== undefined && bytes > peak) peak = bytes;
    sampling = false;
  };
  const sampler = setInterval(sample, 100);

  return {
    url,
    pid,
    startSeconds,
    output,
    resetPeak() {
      peak = 0;
      void sample();
    },
    peakRssBytes: () => peak,
    freeze: () => child.kill("SIGSTOP"),
    thaw: () => child.kill("SIGCONT"),
    assertRunning(name) {
      if (child.exitCode === null && child.signalCode === null) return;
      throw new Error(`${name} (pid ${pid}) has ended (${child.exitCode ?? child.signalCode})`);
    },
    async stop() {
      clearInterval(sampler);
      if (child.exitCode === null) {
        // A frozen process would only handle SIGTERM once continued.
        child.kill("SIGCONT");
        child.kill("SIGTERM");
        const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
        await exited;
        clearTimeout(killer);
      }
      log.remove();
    },
  };
}
