import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEnv } from "@inkwell/config";
import { connect, type EmbeddedDatabase, startEmbeddedPostgres } from "@inkwell/db";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "./server.ts";

/** A database of the test's own, so the test can stop and restart it under a running server. */
let folder: string;
let cluster: EmbeddedDatabase;
let server: RunningServer;

const startCluster = (port?: number) =>
  startEmbeddedPostgres({ dataDir: join(folder, "pg"), port, settings: { fsync: "off", synchronous_commit: "off" } });

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "inkwell-resilience-"));
  await chmod(folder, 0o755);
  cluster = await startCluster();
  const admin = connect({ url: cluster.url, maxConnections: 1 });
  await admin.sql`create database inkwell`;
  await admin.close();
  server = await startServer(
    parseEnv({ DATABASE_URL: cluster.urlFor("inkwell"), PORT: "0", RATE_LIMIT_IP_PER_MINUTE: "0" }),
    pino({ level: process.env.RESILIENCE_LOG ?? "silent" }),
  );
}, 60_000);
afterAll(async () => {
  await server?.close();
  await cluster?.stop();
  await rm(folder, { recursive: true, force: true });
});

async function timed(path: string) {
  const started = performance.now();
  const response = await fetch(`${server.url}${path}`);
  return { status: response.status, body: await response.text(), ms: performance.now() - started };
}

describe("when the database goes away", () => {
  it("answers 503 fast with a clear message, reports not ready, and recovers by itself when it returns", async () => {
    expect((await timed("/trpc/articles.list")).status).toBe(200);
    const port = cluster.port;
    await cluster.stop();

    const trpc = await timed("/trpc/articles.list");
    expect(trpc.status).toBe(503);
    expect(trpc.body).toContain("The database is unavailable right now");
    expect(trpc.ms).toBeLessThan(5_000);
    const rest = await timed("/api/articles");
    expect(rest.status).toBe(503);
    expect(JSON.parse(rest.body)).toEqual({ errors: { database: [expect.stringContaining("unavailable")] } });
    // A well-formed session token must be looked up (a malformed one is refused without the database).
    const token = `${"a".repeat(24)}.${"b".repeat(32)}`;
    const authed = await fetch(`${server.url}/trpc/auth.me`, { headers: { authorization: `Bearer ${token}` } });
    expect(authed.status).toBe(503);
    expect((await timed("/readyz")).status).toBe(503);
    expect((await timed("/healthz")).status).toBe(200);

    cluster = await startCluster(port);
    await expect.poll(async () => (await timed("/readyz")).status, { timeout: 15_000, interval: 250 }).toBe(200);
    expect((await timed("/trpc/articles.list")).status).toBe(200);
    expect((await timed("/api/tags")).status).toBe(200);

    // The job worker came back too: a job committed now runs.
    const db = connect({ url: cluster.urlFor("inkwell"), maxConnections: 1 });
    try {
      await db.sql`
        with message as (
          insert into email_messages (recipient, subject, text_body, html_body, template)
          values ('back@example.com', 'After the outage', 't', 'h', 'test') returning id
        )
        select graphile_worker.add_job('email.send', json_build_object('messageId', id)) from message`;
      await expect
        .poll(async () => (await db.sql`select status from email_messages`)[0]?.status, { timeout: 15_000 })
        .toBe("kept");
    } finally {
      await db.close();
    }
  }, 60_000);
});
