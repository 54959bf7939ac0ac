import { loadDotEnv, parseEnv, repoRoot } from "@inkwell/config";
import { connect, type EmbeddedDatabase, runMigrations, type SqlClient, startEmbeddedPostgres } from "@inkwell/db";
import { seed } from "@inkwell/db/seed";

/** The benchmark's data set: sizes and PRNG seed. A database seeded with these is reused. */
export const datasetSpec = {
  users: 10_000,
  articles: 100_000,
  comments: 300_000,
  favorites: 500_000,
  follows: 50_000,
  tags: 500,
  tagsPerArticle: 5,
  seed: 42,
};
export type DatasetSpec = typeof datasetSpec;

/** Where the bench keeps its own cluster: never the development data directory. */
export const benchDataDir = `${repoRoot}.data/bench-postgres`;
const BENCH_DATABASE = "inkwell_bench";

export interface BenchDatabase {
  url: string;
  /** How the database was found, for the report (never the URL: it holds a password). */
  source: "embedded" | "BENCH_DATABASE_URL" | "DATABASE_URL";
  stop(): Promise<void>;
}

/** Rows the bench itself adds (comments, sessions, audit events) are deleted back to these. */
interface Baseline {
  maxCommentId: number;
  maxAuditEventId: number;
}

export interface DatasetInfo {
  reused: boolean;
  seededAt: string;
  seedSeconds: number | null;
  counts: Record<string, number>;
}

async function createDatabaseIfMissing(serverUrl: string, name: string): Promise<void> {
  const admin = connect({ url: serverUrl, maxConnections: 1, applicationName: "inkwell-bench" });
  try {
    const [row] = await admin.sql`select 1 from pg_database where datname = ${name}`;
    if (!row) await admin.sql.unsafe(`create database "${name}"`);
  } finally {
    await admin.close();
  }
}

/**
 * `BENCH_DATABASE_URL` as it is; else a database named `inkwell_bench` on the
 * server of `DATABASE_URL` (so a development database is never reseeded); else
 * an embedded cluster under `.data/bench-postgres`.
 */
export async function openBenchDatabase(log: (line: string) => void): Promise<BenchDatabase> {
  const given = process.env.BENCH_DATABASE_URL;
  if (given) return { url: given, source: "BENCH_DATABASE_URL", stop: async () => {} };

  // The same DATABASE_URL the server would use (`.env` included), validated by the config module.
  loadDotEnv();
  const server = parseEnv().DATABASE_URL;
  if (server) {
    await createDatabaseIfMissing(server, BENCH_DATABASE);
    const url = new URL(server);
    url.pathname = `/${BENCH_DATABASE}`;
    return { url: url.toString(), source: "DATABASE_URL", stop: async () => {} };
  }

  log(`Starting embedded PostgreSQL in ${benchDataDir.slice(repoRoot.length)} …`);
  const embedded: EmbeddedDatabase = await startEmbeddedPostgres({ dataDir: benchDataDir });
  await createDatabaseIfMissing(embedded.url, BENCH_DATABASE);
  return { url: embedded.urlFor(BENCH_DATABASE), source: "embedded", stop: () => embedded.stop() };
}

async function currentCounts(sql: SqlClient): Promise<Record<string, number>> {
  const [row] = await sql<Record<string, number>[]>`
    select (select count(*)::int from users) as users,
           (select count(*)::int from articles) as articles,
           (select count(*)::int from article_tags) as "articleTags",
           (select count(*)::int from comments) as comments,
           (select count(*)::int from favorites) as favorites,
           (select count(*)::int from follows) as follows,
           (select count(*)::int from tags) as tags`;
  return row ?? {};
}

// `connect()` hands the client to drizzle, which leaves timestamps as strings and json parameters unserialized.
async function readMarker(sql: SqlClient) {
  await sql`create schema if not exists bench`;
  await sql`create table if not exists bench.dataset (
    id int primary key default 1 check (id = 1),
    spec jsonb not null,
    counts jsonb not null,
    baseline jsonb not null,
    seeded_at timestamptz not null default now(),
    seed_seconds real
  )`;
  const [row] = await sql<
    { spec: DatasetSpec; counts: Record<string, number>; baseline: Baseline; seeded_at: string; seed_seconds: number }[]
  >`select spec, counts, baseline, seeded_at, seed_seconds from bench.dataset`;
  return row;
}

const sameSpec = (a: DatasetSpec, b: DatasetSpec) =>
  (Object.keys(datasetSpec) as (keyof DatasetSpec)[]).every((key) => a[key] === b[key]);

/** Deletes what earlier runs wrote (comments, audit events, sessions, counters, emails, jobs), so every run starts alike. */
async function restoreBaseline(sql: SqlClient, baseline: Baseline): Promise<void> {
  const deleted = [
    (await sql`delete from comments where id > ${baseline.maxCommentId}`).count > 0 && "comments",
    (await sql`delete from audit_events where id > ${baseline.maxAuditEventId}`).count > 0 && "audit_events",
    (await sql`delete from sessions`).count > 0 && "sessions",
    (await sql`delete from throttle_counters`).count > 0 && "throttle_counters",
    // The seeder sends no email: every message, and every job still waiting, is an earlier run's.
    (await sql`delete from email_messages`).count > 0 && "email_messages",
  ].filter((table) => table !== false);
  // graphile-worker makes its schema when a worker first starts: absent before the first run.
  const [queue] = await sql<
    { exists: boolean }[]
  >`select to_regclass('graphile_worker._private_jobs') is not null as exists`;
  if (queue?.exists && (await sql`delete from graphile_worker._private_jobs`).count > 0) {
    deleted.push("graphile_worker._private_jobs");
  }
  // Fresh statistics and visibility map where rows went, as the seeder leaves them.
  if (deleted.length > 0) await sql.unsafe(`vacuum analyze ${deleted.join(", ")}`);
}

/**
 * Migrates, then seeds the data set unless the database already holds it
 * (same sizes and seed, recorded in `bench.dataset`, and the same row counts).
 * A database with articles but no record is refused unless `reseed` is set.
 */
export async function ensureDataset(
  url: string,
  options: { reseed: boolean; log: (line: string) => void },
): Promise<DatasetInfo> {
  const { log } = options;
  await runMigrations(url);
  const connection = connect({ url, maxConnections: 2, applicationName: "inkwell-bench-seed" });
  try {
    const { sql } = connection;
    const marker = await readMarker(sql);
    if (marker && !options.reseed && sameSpec(marker.spec, datasetSpec)) {
      await restoreBaseline(sql, marker.baseline);
      const counts = await currentCounts(sql);
      if (counts.articles === marker.counts.articles && counts.users === marker.counts.users) {
        return {
          reused: true,
          seededAt: new Date(marker.seeded_at).toISOString(),
          seedSeconds: marker.seed_seconds,
          counts,
        };
      }
      log("The bench database no longer matches its record; seeding it again.");
    } else if (!marker && !options.reseed) {
      const [{ articles = 0 } = {}] = await sql<{ articles: number }[]>`select count(*)::int as articles from articles`;
      if (articles > 0) {
        throw new Error(
          "The bench database has articles that the bench did not seed. Pass --reseed to replace all its data.",
        );
      }
    }

    log("Seeding the bench data set (once; later runs reuse it) …");
    const started = performance.now();
    let lastStep = "";
    const counts = await seed(connection.db, {
      ...datasetSpec,
      reset: true,
      onProgress: (step, done, total) => {
        if (step !== lastStep || done === total) {
          if (done === total) log(`  ${step}: ${total.toLocaleString("en")}`);
          lastStep = done === total ? "" : step;
        }
      },
    });
    const seedSeconds = (performance.now() - started) / 1000;
    const [ids] = await sql<Baseline[]>`
      select coalesce((select max(id) from comments), 0)::int as "maxCommentId",
             coalesce((select max(id) from audit_events), 0)::bigint::float8 as "maxAuditEventId"`;
    const baseline: Baseline = ids ?? { maxCommentId: 0, maxAuditEventId: 0 };
    await sql`delete from bench.dataset`;
    await sql`insert into bench.dataset (spec, counts, baseline, seed_seconds)
              values (${JSON.stringify(datasetSpec)}::jsonb, ${JSON.stringify(counts)}::jsonb,
                      ${JSON.stringify(baseline)}::jsonb, ${seedSeconds})`;
    log(`Seeded in ${seedSeconds.toFixed(0)} s.`);
    return { reused: false, seededAt: new Date().toISOString(), seedSeconds, counts };
  } finally {
    await connection.close();
  }
}
