import { spawn } from "node:child_process";
import { join } from "node:path";
import { Writable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { defaultAuthSettings } from "@inkwell/api";
import { parseEnv } from "@inkwell/config";
import { connect } from "@inkwell/db";
import { createTestDatabase, type TestDatabase } from "@inkwell/db/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "./logger.ts";
import { MAINTENANCE_LOCK_ID, type Maintenance, type MaintenanceOptions, startMaintenance } from "./maintenance.ts";
import { startServer } from "./server.ts";

const MINUTE = 60_000;

/** A pino logger writing JSON lines into `lines`. */
function capturingLogger(level = "debug") {
  const lines: { level: number; msg: string; err?: { message: string }; deleted?: unknown }[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger({ level, pretty: false, destination }) };
}

let database: TestDatabase;
const running: Maintenance[] = [];
beforeAll(async () => {
  database = await createTestDatabase();
  await database.sql`insert into users (email, username, password_hash) values ('reader@example.com', 'reader', 'x')`;
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((maintenance) => maintenance.stop()));
  await database.sql`delete from sessions`;
  await database.sql`delete from throttle_counters`;
});
afterAll(() => database.drop());

function start(options: Partial<MaintenanceOptions> = {}) {
  const { lines, logger } = capturingLogger();
  const maintenance = startMaintenance({ url: database.url, authSettings: defaultAuthSettings, logger, ...options });
  running.push(maintenance);
  return { maintenance, lines };
}

/** `count` sessions last used `daysAgo` days ago, as one statement. */
async function addSessions(prefix: string, count: number, daysAgo: number) {
  await database.sql`
    insert into sessions (id, secret_hash, user_id, created_at, last_verified_at)
    select ${prefix} || g, '\\x00', 1, now() - ${daysAgo} * interval '1 day', now() - ${daysAgo} * interval '1 day'
    from generate_series(1, ${count}) g`;
}

const count = async (table: "sessions" | "throttle_counters", where = "true") =>
  Number((await database.sql.unsafe(`select count(*)::int as n from ${table} where ${where}`))[0]?.n);

describe("maintenance in a server process", () => {
  it("deletes expired sessions and stale counters, and keeps a live session and a blocked account's counter", async () => {
    await addSessions("expired-", 3, 11);
    await addSessions("live-", 2, 1);
    await database.sql`
      insert into throttle_counters (key, hits, window_started_at, updated_at, blocked_until) values
        ('rate:ip:203.0.113.1', 4, now() - interval '2 minutes', now() - interval '2 minutes', null),
        ('signin:account:locked@example.com', 9, now() - interval '20 minutes', now() - interval '20 minutes',
         now() + interval '10 minutes'),
        ('signin:ip:203.0.113.1', 2, now() - interval '1 minute', now() - interval '1 minute', null)`;

    const { maintenance, lines } = start();
    expect(await maintenance.runOnce()).toEqual({
      status: "done",
      deleted: { sessions: 3, challenges: 0, throttleCounters: 1 },
    });

    expect(await count("sessions", "id like 'live-%'")).toBe(2);
    expect(await count("sessions")).toBe(2);
    const keys = await database.sql`select key from throttle_counters order by key`;
    expect(keys.map((row) => row.key)).toEqual(["signin:account:locked@example.com", "signin:ip:203.0.113.1"]);
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: "maintenance: done",
        deleted: { sessions: 3, challenges: 0, throttleCounters: 1 },
      }),
    );
  });

  it("skips a round while another process holds the lock, touching nothing, and runs once it is free", async () => {
    await addSessions("expired-", 5, 40);
    const other = connect({ url: database.url, maxConnections: 1 });
    try {
      await other.sql`select pg_advisory_lock(${MAINTENANCE_LOCK_ID})`;
      const { maintenance } = start();
      expect(await maintenance.runOnce()).toEqual({ status: "skipped" });
      expect(await count("sessions")).toBe(5);

      await other.sql`select pg_advisory_unlock(${MAINTENANCE_LOCK_ID})`;
      expect(await maintenance.runOnce()).toMatchObject({ status: "done", deleted: { sessions: 5 } });
    } finally {
      await other.close();
    }
  });

  it("runs in two processes at once without failing: one does the work, each row deleted once", async () => {
    await addSessions("expired-", 5_000, 40);
    await addSessions("live-", 10, 0);
    const a = start({ limits: { batchSize: 200 } });
    const b = start({ limits: { batchSize: 200 } });

    const runs = await Promise.all([a.maintenance.runOnce(), b.maintenance.runOnce(), a.maintenance.runOnce()]);
    expect(runs.map((run) => run.status)).not.toContain("failed");
    expect(runs.map((run) => run.status)).toContain("done");
    // The second call in one process joins the pass in progress rather than starting another.
    expect(runs[2]).toBe(runs[0]);
    const deleted = runs.slice(0, 2).reduce((sum, run) => sum + (run.status === "done" ? run.deleted.sessions : 0), 0);
    expect(deleted).toBe(5_000);
    expect(await count("sessions")).toBe(10);
    expect([...a.lines, ...b.lines].filter((line) => line.level >= 50)).toEqual([]);
  });

  it("runs by itself every interval, and not after stop()", async () => {
    const { maintenance } = start({ intervalMs: 50 });
    await addSessions("expired-", 1, 40);
    await expect.poll(() => count("sessions"), { timeout: 5_000, interval: 25 }).toBe(0);

    await maintenance.stop();
    await addSessions("after-stop-", 1, 40);
    await sleep(300);
    expect(await count("sessions")).toBe(1);
    expect(await maintenance.runOnce()).toEqual({ status: "skipped" });
  });

  it("logs a failure with the logger and keeps going, never throwing", async () => {
    // Nothing listens on port 1: every round fails to connect.
    const { maintenance, lines } = start({ url: "postgres://inkwell@127.0.0.1:1/none", intervalMs: 30 });
    expect(await maintenance.runOnce()).toEqual({ status: "failed" });
    await expect
      .poll(() => lines.filter((line) => line.msg === "maintenance: failed; retrying at the next interval").length, {
        timeout: 5_000,
      })
      .toBeGreaterThanOrEqual(3);
    expect(lines.find((line) => line.level === 50)?.err?.message).toMatch(/ECONNREFUSED/);
  });

  it("uses the clock it is given, so rate-limit rows written by real requests go once their minute is over", async () => {
    const server = await startServer(
      parseEnv({
        DATABASE_URL: database.url,
        PORT: "0",
        INKWELL_ADMIN_EMAIL: "root@example.com",
        INKWELL_ADMIN_PASSWORD: "correct horse battery",
      }),
      createLogger({ level: "silent", pretty: false }),
    );
    try {
      for (let i = 0; i < 3; i++) expect((await fetch(`${server.url}/api/tags`)).status).toBe(200);
    } finally {
      await server.close();
    }
    expect(await count("throttle_counters", "key like 'rate:ip:%'")).toBe(1);

    expect(await start().maintenance.runOnce()).toMatchObject({ deleted: { throttleCounters: 0 } });
    const later = start({ now: () => new Date(Date.now() + 2 * MINUTE) });
    expect(await later.maintenance.runOnce()).toMatchObject({ deleted: { throttleCounters: 1 } });
    expect(await count("throttle_counters")).toBe(0);
  });
});

describe("the maintenance timer", () => {
  it("does not keep a process alive", async () => {
    const script = `
      const { startMaintenance } = await import(${JSON.stringify(join(import.meta.dirname, "maintenance.ts"))});
      const { createLogger } = await import(${JSON.stringify(join(import.meta.dirname, "logger.ts"))});
      const { defaultAuthSettings } = await import("@inkwell/api");
      startMaintenance({ url: ${JSON.stringify(database.url)}, authSettings: defaultAuthSettings,
                         logger: createLogger({ level: "silent", pretty: false }) });
      console.log("started");`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: import.meta.dirname,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    const code = await Promise.race([exited, sleep(15_000).then(() => "still running")]);
    if (code === "still running") child.kill("SIGKILL");
    expect({ code, output }).toEqual({ code: 0, output: "started\n" });
  }, 30_000);
});

describe("startServer", () => {
  it("runs maintenance on its interval and stops it on close: its connection ends, nothing fails", async () => {
    const own = await createTestDatabase();
    const { lines, logger } = capturingLogger("info");
    const server = await startServer(
      parseEnv({
        DATABASE_URL: own.url,
        PORT: "0",
        INKWELL_ADMIN_EMAIL: "root@example.com",
        INKWELL_ADMIN_PASSWORD: "correct horse battery",
      }),
      logger,
      { maintenanceIntervalMs: 50 },
    );
    try {
      await own.sql`insert into sessions (id, secret_hash, user_id, created_at, last_verified_at)
                    values ('expired', '\\x00', 1, now() - interval '40 days', now() - interval '40 days')`;
      await expect
        .poll(async () => (await own.sql`select 1 from sessions`).length, { timeout: 5_000, interval: 25 })
        .toBe(0);
    } finally {
      await server.close();
    }
    const maintenanceConnections = async () =>
      (await own.sql`select 1 from pg_stat_activity where application_name like 'inkwell-server-%-maintenance'`).length;
    await expect.poll(maintenanceConnections, { timeout: 5_000, interval: 25 }).toBe(0);
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    await own.drop();
  });
});
