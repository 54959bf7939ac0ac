import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "@inkwell/db/testing";

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
}

const main = join(import.meta.dirname, "..", "main.ts");
const worker = join(import.meta.dirname, "..", "worker.ts");

/** The real entry point in a child process, as production runs it; resolves once it listens. */
export async function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  return spawnEntry(main, env, (output) => output.match(/"url":"(http:\/\/[^"]+)"/)?.[1]);
}

/** `pnpm worker` in a child process; resolves once it runs jobs (its `url` is empty: it serves no HTTP). */
export async function spawnWorker(env: Record<string, string>): Promise<ServerProcess> {
  return spawnEntry(worker, env, (output) => (output.includes("background jobs are running") ? "" : undefined));
}

async function spawnEntry(
  entry: string,
  env: Record<string, string>,
  ready: (output: string) => string | undefined,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    env: { PATH: process.env.PATH, NODE_ENV: "production", LOG_LEVEL: "info", PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Not left running behind a failed test.
      child.kill("SIGKILL");
      reject(new Error(`${entry} did not start:\n${output}`));
    }, 60_000);
    const check = () => {
      const url = ready(output);
      if (url !== undefined) {
        clearTimeout(timer);
        resolve(url);
      }
    };
    child.stdout?.on("data", check);
    exited.then(() => reject(new Error(`${entry} exited during start:\n${output}`)));
  });
  return { url, child, output: () => output, exited };
}

export interface ServerPair {
  a: ServerProcess;
  b: ServerProcess;
  database: TestDatabase;
  /** SIGTERMs both processes, waits for them, drops the database. */
  stop(): Promise<void>;
}

/**
 * Two real server processes on one fresh test database, started together
 * (so migrations and the first admin are created under contention, as in a rolling deploy).
 */
export async function spawnServerPair(env: Record<string, string>): Promise<ServerPair> {
  const database = await createTestDatabase();
  const [a, b] = await Promise.all([
    spawnServer({ DATABASE_URL: database.url, ...env }),
    spawnServer({ DATABASE_URL: database.url, ...env }),
  ]);
  return {
    a,
    b,
    database,
    async stop() {
      for (const server of [a, b]) server.child.kill("SIGTERM");
      await Promise.all([a.exited, b.exited]);
      await database.drop();
    },
  };
}
