import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { READ_AFTER_COOKIE, READ_AFTER_HEADER } from "@inkwell/api";
import { createInkwellClient, isInkwellError } from "@inkwell/client";
import { parseEnv } from "@inkwell/config";
import { connect, type DatabaseConnection, type EmbeddedDatabase, startEmbeddedPostgres } from "@inkwell/db";
import { type StreamingReplica, startStreamingReplica } from "@inkwell/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "./logger.ts";
import { type RunningServer, startServer } from "./server.ts";
import { register, trpc, type Writer } from "./testing/conduit.ts";

/**
 * Read replicas (decision 014) against a real streaming replica: an embedded primary, a standby made from it
 * with a base backup (streaming-replica.ts) that logs every statement it runs, and two servers on both, as two
 * processes behind a load balancer would be. Pausing the standby's replay makes the replica visibly behind.
 */

const ADMIN = { email: "ops@example.com", password: "operator password 1" };
const POSITION = /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/;

let folder: string;
let primary: EmbeddedDatabase;
let replica: StreamingReplica;
let onPrimary: DatabaseConnection;
let onReplica: DatabaseConnection;
let a: RunningServer;
let b: RunningServer;

async function startInkwell(replicaHealthIntervalMs?: number): Promise<RunningServer> {
  return startServer(
    parseEnv({
      DATABASE_URL: primary.urlFor("inkwell"),
      DATABASE_REPLICA_URLS: replica.urlFor("inkwell"),
      PORT: "0",
      NODE_ENV: "test",
      INKWELL_ADMIN_EMAIL: ADMIN.email,
      INKWELL_ADMIN_PASSWORD: ADMIN.password,
      WORKER_CONCURRENCY: "0",
    }),
    createLogger({ level: "silent", pretty: false }),
    { replicaHealthIntervalMs },
  );
}

/** Waits until the standby has replayed everything the primary has written so far, and the servers know it. */
async function replicaCaughtUp(): Promise<void> {
  const [written] = await onPrimary.sql`select pg_current_wal_insert_lsn()::text as position`;
  const position = String(written?.position);
  for (let attempt = 0; ; attempt++) {
    const [replayed] = await onReplica.sql`select pg_last_wal_replay_lsn() >= ${position}::pg_lsn as done`;
    if (replayed?.done === true) break;
    if (attempt === 300) throw new Error(`the replica has not replayed ${position} after 15 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // Server a asks its replica once a second (b only when it started).
  await new Promise((resolve) => setTimeout(resolve, 1200));
}

async function publish(url: string, writer: Writer, title: string) {
  const response = await fetch(`${url}/api/articles`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Token ${writer.token}` },
    body: JSON.stringify({ article: { title, description: "d", body: "b", tagList: ["replicas"] } }),
  });
  expect(response.status, await response.clone().text()).toBe(201);
  const { article } = (await response.json()) as { article: { slug: string } };
  return { slug: article.slug, readAfter: response.headers.get(READ_AFTER_HEADER) };
}

async function articleStatus(url: string, slug: string, headers: Record<string, string> = {}): Promise<number> {
  const response = await fetch(`${url}/api/articles/${slug}`, { headers });
  await response.body?.cancel();
  return response.status;
}

/** The statements the standby ran (log_statement=all), without the servers' health checks. */
function statementsOnReplica(): string[] {
  return replica.log
    .filter((line) => /LOG: {2}(statement|execute [^:]*):/.test(line))
    .filter((line) => !line.includes("pg_is_in_recovery()") && !line.includes("pg_last_wal_replay_lsn() >="));
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "inkwell-replicas-"));
  // The postgres user (PostgreSQL refuses root) must be able to reach both data directories.
  await chmod(folder, 0o755);
  const primaryDir = join(folder, "primary");
  primary = await startEmbeddedPostgres({
    dataDir: primaryDir,
    persistent: false,
    settings: { wal_level: "replica", fsync: "off" },
  });
  onPrimary = connect({ url: primary.url, maxConnections: 1 });
  await onPrimary.sql`create database inkwell`;
  replica = await startStreamingReplica({
    primary: { url: primary.url, dataDir: primaryDir },
    dataDir: join(folder, "replica"),
    settings: { log_statement: "all" },
  });
  onReplica = connect({ url: replica.urlFor("inkwell"), maxConnections: 1 });
  a = await startInkwell();
  // Checks its replica only when it starts: it meets a replica that went away before any check has noticed.
  b = await startInkwell(10 * 60_000);
  await replicaCaughtUp();
}, 180_000);

afterAll(async () => {
  await a?.close();
  await b?.close();
  await onReplica?.close();
  await replica?.remove();
  await onPrimary?.close();
  await primary?.stop();
  if (folder) await rm(folder, { recursive: true, force: true });
}, 60_000);

describe("read replicas", () => {
  let writer: Writer;
  let slug: string;
  let readAfter: string | null;

  it("streams: the standby is a replica of the primary that the servers read", async () => {
    const [state] = await onReplica.sql`select pg_is_in_recovery() as standby`;
    expect(state?.standby).toBe(true);
    const [sender] = await onPrimary.sql`select state from pg_stat_replication`;
    expect(sender?.state).toBe("streaming");
  });

  it("reads from the replica: with replay paused, a new article is missing for others while its writer sees it", async () => {
    writer = await register(a.url, "replica_writer");
    await replicaCaughtUp();
    await onReplica.sql`select pg_wal_replay_pause()`;
    try {
      ({ slug, readAfter } = await publish(a.url, writer, "Written while the replica is paused"));
      expect(readAfter).toMatch(POSITION);

      // Anonymous reads go to the replica, which has not replayed the article.
      expect(await articleStatus(a.url, slug)).toBe(404);
      expect(await articleStatus(b.url, slug)).toBe(404);
      // The writer on the process that took the write: remembered for its token, read from the primary.
      expect(await articleStatus(a.url, slug, { authorization: `Token ${writer.token}` })).toBe(200);
      // On another process, which has no memory of it: what the client echoes decides.
      expect(await articleStatus(b.url, slug, { authorization: `Token ${writer.token}` })).toBe(404);
      expect(
        await articleStatus(b.url, slug, {
          authorization: `Token ${writer.token}`,
          [READ_AFTER_HEADER]: readAfter as string,
        }),
      ).toBe(200);
      // A position is no secret and no credential: anyone who sends one only waits for it (or reads the primary).
      expect(await articleStatus(b.url, slug, { [READ_AFTER_HEADER]: readAfter as string })).toBe(200);
      expect(await articleStatus(b.url, slug, { [READ_AFTER_HEADER]: "FFFFFFFF/FFFFFFFF" })).toBe(200);
      // A malformed position counts as none: no error, and the read stays on the replica.
      for (const junk of ["", "0/", "12345678", "1/2/3", "G/1", "123456789/0", "-1/0", "x".repeat(10_000)]) {
        expect(await articleStatus(b.url, slug, { [READ_AFTER_HEADER]: junk }), junk.slice(0, 20)).toBe(404);
      }
      // Lists read from the replica too.
      const list = await fetch(`${b.url}/api/articles?tag=replicas`);
      expect(((await list.json()) as { articlesCount: number }).articlesCount).toBe(0);
    } finally {
      await onReplica.sql`select pg_wal_replay_resume()`;
    }
    await replicaCaughtUp();
    expect(await articleStatus(b.url, slug)).toBe(200);
  });

  it("keeps the position in a cookie for the admin console (/trpc), which the browser sends back", async () => {
    const signIn = await fetch(`${a.url}/trpc/auth.signIn`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: a.url },
      body: JSON.stringify({ json: { ...ADMIN, session: "cookie" } }),
    });
    expect(signIn.status).toBe(200);
    const cookies = signIn.headers.getSetCookie();
    const session = cookies.find((cookie) => cookie.startsWith("inkwell_session="))?.split(";")[0];
    const position = cookies.find((cookie) => cookie.startsWith(`${READ_AFTER_COOKIE}=`));
    expect(session).toBeDefined();
    expect(position).toMatch(
      new RegExp(`^${READ_AFTER_COOKIE}=[0-9A-F]+/[0-9A-F]+; Max-Age=300; Path=/trpc; HttpOnly; SameSite=Lax$`),
    );
    expect(signIn.headers.get(READ_AFTER_HEADER)).toMatch(POSITION);

    await onReplica.sql`select pg_wal_replay_pause()`;
    try {
      const created = await fetch(`${a.url}/trpc/articles.create`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: a.url, cookie: session as string },
        body: JSON.stringify({ json: { title: "From the console", description: "d", body: "b", tagList: [] } }),
      });
      expect(created.status, await created.clone().text()).toBe(200);
      const { slug: consoleSlug } = ((await created.json()) as { result: { data: { json: { slug: string } } } }).result
        .data.json;
      const cookie = created.headers
        .getSetCookie()
        .find((line) => line.startsWith(`${READ_AFTER_COOKIE}=`))
        ?.split(";")[0] as string;
      const read = (url: string, cookieHeader: string) =>
        fetch(`${url}/trpc/articles.get?input=${encodeURIComponent(JSON.stringify({ json: { slug: consoleSlug } }))}`, {
          headers: { cookie: cookieHeader },
        }).then((response) => response.status);
      // On the other process, with only the session cookie (no position): the replica, which lacks it.
      expect(await read(b.url, session as string)).toBe(404);
      // With the position cookie the browser keeps, the other process reads the primary.
      expect(await read(b.url, `${session}; ${cookie}`)).toBe(200);
      // Anonymous, with neither: the replica; with the position cookie alone: the primary.
      expect((await trpc(b.url, "articles.get", { input: { slug: consoleSlug } })).status).toBe(404);
      expect(await read(b.url, cookie)).toBe(200);
    } finally {
      await onReplica.sql`select pg_wal_replay_resume()`;
    }
    await replicaCaughtUp();
  });

  it("the typed client reads its own writes whichever process answers (it echoes the position)", async () => {
    // A load balancer in the client's fetch: mutations to one process, reads to the other.
    const balanced = (input: RequestInfo | URL, init?: RequestInit) =>
      fetch(init?.method === "POST" ? String(input) : String(input).replace(a.url, b.url), init);
    const client = createInkwellClient({ url: a.url, token: writer.token, fetch: balanced as typeof fetch });
    const anonymous = createInkwellClient({ url: b.url });
    await onReplica.sql`select pg_wal_replay_pause()`;
    try {
      const created = await client.articles.create.mutate({
        title: "From the typed client",
        description: "d",
        body: "b",
      });
      expect((await client.articles.get.query({ slug: created.slug })).title).toBe("From the typed client");
      const missing = await anonymous.articles.get.query({ slug: created.slug }).catch((error: unknown) => error);
      expect(isInkwellError(missing) && missing.data?.code).toBe("NOT_FOUND");
    } finally {
      await onReplica.sql`select pg_wal_replay_resume()`;
    }
    await replicaCaughtUp();
  });

  it("/api/rpc: a mutation's answer carries the position, and a GET that sends it back reads the primary", async () => {
    await onReplica.sql`select pg_wal_replay_pause()`;
    try {
      const created = await fetch(`${a.url}/api/rpc/articles.create`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${writer.token}` },
        body: JSON.stringify({ title: "Over plain HTTP", description: "d", body: "b" }),
      });
      expect(created.status, await created.clone().text()).toBe(200);
      const position = created.headers.get(READ_AFTER_HEADER) as string;
      expect(position).toMatch(POSITION);
      const { slug: rpcSlug } = (await created.json()) as { slug: string };
      const get = (headers: Record<string, string>) =>
        fetch(`${b.url}/api/rpc/articles.get?slug=${rpcSlug}`, { headers }).then((response) => response.status);
      expect(await get({})).toBe(404);
      expect(await get({ [READ_AFTER_HEADER]: position })).toBe(200);
    } finally {
      await onReplica.sql`select pg_wal_replay_resume()`;
    }
    await replicaCaughtUp();
  });

  it("never sends a write, a transaction, the session lookup or the write position to the replica", () => {
    const statements = statementsOnReplica();
    // The reads above reached it …
    expect(statements.some((line) => /from "articles"/.test(line))).toBe(true);
    // … and nothing else did: the replica would refuse writes, but they must not even be tried there.
    const offending = statements.filter((line) =>
      /\b(insert|update|delete|begin|commit|pg_current_wal\w*|listen)\b|"sessions"|"api_keys"/i.test(line),
    );
    expect(offending).toEqual([]);
  });

  it("falls back to the primary when the replica goes away, at once and for good", async () => {
    await replica.stop();
    const { slug: afterStop } = await publish(a.url, writer, "Written with the replica down");
    // b has not checked the replica since it started: its read fails there, and is run again on the primary.
    expect(await articleStatus(b.url, afterStop)).toBe(200);
    expect(await articleStatus(a.url, slug)).toBe(200);
    const list = await fetch(`${b.url}/api/articles?tag=replicas`);
    expect(list.status).toBe(200);
    expect(((await list.json()) as { articlesCount: number }).articlesCount).toBe(2);
    // After the next health check too, which marks the replica down (reads no longer try it first).
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(await articleStatus(b.url, afterStop)).toBe(200);
    expect(await articleStatus(a.url, afterStop, { authorization: `Token ${writer.token}` })).toBe(200);
  });
});
