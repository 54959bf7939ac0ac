import { execFile } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parseEnv } from "@inkwell/config";
import { connect } from "@inkwell/db";
import { createTestDatabase, holdLock, type TestDatabase } from "@inkwell/db/testing";
import getPort from "get-port";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "./server.ts";

const silent = pino({ level: "silent" });

/** Signs in over tRPC and returns a bearer token. */
async function signInToken(url: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${url}/trpc/auth.signIn`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ json: { email, password, session: "token" } }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { result: { data: { json: { token: string } } } }).result.data.json.token;
}

describe("server over real HTTP", () => {
  let database: TestDatabase;
  let server: RunningServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startServer(
      parseEnv({
        DATABASE_URL: database.url,
        PORT: "0",
        INKWELL_ADMIN_EMAIL: "root@example.com",
        INKWELL_ADMIN_PASSWORD: "correct horse battery",
      }),
      silent,
    );
  });
  afterAll(async () => {
    await server.close();
    await database.drop();
  });

  it("answers /healthz", async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("answers /readyz when the database is reachable and migrated", async () => {
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(200);
  });

  it("serves tRPC with the superjson transformer", async () => {
    const token = await signInToken(server.url, "root@example.com", "correct horse battery");
    const response = await fetch(`${server.url}/trpc/system.status`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { result: { data: { json: { version: string; database: unknown } } } };
    expect(body.result.data.json.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(body.result.data.json.database).toMatchObject({ reachable: true, migrations: { pending: 0 } });
  });

  it("returns a request id, and keeps one sent by a proxy", async () => {
    const generated = await fetch(`${server.url}/healthz`);
    expect(generated.headers.get("x-request-id")).toMatch(/.{8,}/);
    const forwarded = await fetch(`${server.url}/healthz`, { headers: { "X-Request-Id": "from-proxy-123" } });
    expect(forwarded.headers.get("x-request-id")).toBe("from-proxy-123");
  });

  it("created the first admin from INKWELL_ADMIN_EMAIL on an empty database", async () => {
    const [admin] = await database.sql`select email, role from users`;
    expect(admin).toEqual({ email: "root@example.com", role: "admin" });
  });
});

describe("/readyz on a database without the schema", () => {
  it("answers 503 and names the pending migrations", async () => {
    const database = await createTestDatabase();
    const server = await startServer(parseEnv({ DATABASE_URL: database.url, PORT: "0" }), silent);
    try {
      // Simulate a deploy whose migrations did not run: forget the last one.
      const raw = connect({ url: database.url, maxConnections: 1 });
      await raw.sql`delete from drizzle.__drizzle_migrations where id = (select max(id) from drizzle.__drizzle_migrations)`;
      await raw.close();
      const response = await fetch(`${server.url}/readyz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: "unavailable", reason: "1 migration(s) not applied" });
    } finally {
      await server.close();
      await database.drop();
    }
  });
});

describe("/readyz while the server is still starting", () => {
  it("answers 503 until the job worker runs, while /healthz and requests are already answered", async () => {
    const database = await createTestDatabase();
    // A port nothing listens on now, so the test knows the server's address before its start has finished.
    const port = await getPort({ host: "127.0.0.1" });
    // The job worker's first heartbeat waits while this table is locked: the server listens, its start is not over.
    const lock = await holdLock(database.url, (tx) => tx`lock table job_worker_heartbeats in share mode`);
    const url = `http://127.0.0.1:${port}`;
    const starting = startServer(
      parseEnv({ DATABASE_URL: database.url, HOST: "127.0.0.1", PORT: String(port) }),
      silent,
    );
    let server: RunningServer | undefined;
    try {
      const readyz = () =>
        fetch(`${url}/readyz`).then(
          (response) => response.status,
          () => 0,
        );
      await expect.poll(readyz, { timeout: 30_000, interval: 50 }).not.toBe(0);
      const early = await fetch(`${url}/readyz`);
      expect(early.status).toBe(503);
      expect(await early.json()).toEqual({
        status: "unavailable",
        reason: "still starting: the job worker is not running yet",
      });
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect((await fetch(`${url}/api/tags`)).status).toBe(200);
      await lock.release();
      server = await starting;
      expect(await readyz()).toBe(200);
    } finally {
      await lock.release();
      await (server ?? (await starting.catch(() => undefined)))?.close();
      await database.drop();
    }
  });
});

describe("configuration errors", () => {
  it("stop the process with exit code 1 and one line per bad variable", async () => {
    const main = join(import.meta.dirname, "main.ts");
    const result = await promisify(execFile)(process.execPath, ["--import", "tsx", main], {
      env: { PATH: process.env.PATH, PORT: "not-a-port", DATABASE_POOL_MAX: "0" },
    }).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines[0]).toBe("Invalid configuration:");
    expect(lines.slice(1).sort()).toEqual([
      expect.stringMatching(/^DATABASE_POOL_MAX: .*>=1.*\(got "0"\)$/),
      expect.stringMatching(/^PORT: .*number.*\(got "not-a-port"\)$/),
    ]);
  });
});

describe("with DATABASE_URL unset", () => {
  it("starts an embedded PostgreSQL whose data survives a restart, and stops it on close", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "inkwell-embedded-"));
    await chmod(dataDir, 0o755);
    const env = parseEnv({ INKWELL_DATA_DIR: dataDir, PORT: "0", INKWELL_ADMIN_PASSWORD: "first start password" });
    try {
      const first = await startServer(env, silent);
      expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
      const token = await signInToken(first.url, "admin@inkwell.local", "first start password");
      const status = await (
        await fetch(`${first.url}/trpc/system.status`, { headers: { authorization: `Bearer ${token}` } })
      ).text();
      expect(status).toContain('"reachable":true');
      await first.close();

      // A second start finds the initialised cluster: the first start's admin is still there (and no other is made).
      const second = await startServer({ ...env, INKWELL_ADMIN_EMAIL: "other@example.com" }, silent);
      try {
        expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
        const signIn = (email: string) =>
          fetch(`${second.url}/trpc/auth.signIn`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ json: { email, password: "first start password", session: "token" } }),
          });
        expect((await signIn("admin@inkwell.local")).status).toBe(200);
        expect((await signIn("other@example.com")).status).toBe(401);
      } finally {
        await second.close();
      }
      const { stdout } = await promisify(execFile)("pgrep", ["-f", `postgres -D ${join(dataDir, "postgres")}`]).catch(
        () => ({ stdout: "" }),
      );
      expect(stdout.trim(), "embedded PostgreSQL still running after close").toBe("");
    } finally {
      await rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    }
  }, 60_000);
});
