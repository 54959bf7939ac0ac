import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import {
  type AuthSettings,
  createIdentityProviders,
  createLinkBuilder,
  days,
  defaultAuthSettings,
  ensureInitialAdmin,
  queueDepth,
  startLiveEvents,
} from "@inkwell/api";
import { meetsOwaspMinimum } from "@inkwell/auth";
import { type Env, repoRoot } from "@inkwell/config";
import { connect, openDatabase, ReadReplicas, runMigrations } from "@inkwell/db";
import { createApp } from "./app.ts";
import { type BackgroundWorkOptions, startBackgroundWork } from "./background.ts";
import { resolveEncryptionKey } from "./encryption-key.ts";
import type { Logger } from "./logger.ts";
import { createMetrics, metricsIfServed } from "./metrics.ts";
import { BatchedRateStore } from "./middleware/batched-rate-store.ts";
import { PostgresRateStore } from "./middleware/postgres-rate-store.ts";
import { createServerSetting, securityHeaders } from "./security-headers.ts";

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

export const adminDistDir = `${repoRoot}apps/admin/dist`;

export interface RunningServer {
  url: string;
  port: number;
  /**
   * Ends live streams; stops accepting and lets requests in flight finish while the job
   * worker drains (running jobs finish or are released); closes the pools, stops embedded PostgreSQL.
   */
  close(): Promise<void>;
  /** Reports the rate-limit hits counted in this process now, rather than at the next tick (tests read the rows). */
  syncRateLimits(): Promise<void>;
}

export interface StartOptions {
  /** Serve the built admin console from `/` (off in `pnpm dev`, where Vite serves it). */
  serveAdmin?: boolean;
  /** Overrides for tests (e.g. short throttle delays); the environment decides the rest. */
  authSettings?: Partial<AuthSettings>;
  /** Background jobs: a shorter drain or poll, another schedule, a moved clock (tests). */
  jobs?: BackgroundWorkOptions["overrides"];
  /** How often read replicas are health-checked (tests lengthen it to meet a replica that went away unchecked). */
  replicaHealthIntervalMs?: number;
}

export function authSettingsFromEnv(env: Env): AuthSettings {
  return {
    ...defaultAuthSettings,
    sessionIdleTimeoutMs: days(env.SESSION_IDLE_TIMEOUT_DAYS),
    sessionMaxAgeMs: days(env.SESSION_MAX_AGE_DAYS),
    cookieSecure: env.COOKIE_SECURE === "auto" ? "auto" : env.COOKIE_SECURE === "true",
    trustedOrigins: env.TRUSTED_ORIGINS,
    rejectBreachedPasswords: env.PASSWORD_REJECT_BREACHED,
    requireVerifiedEmail: env.REQUIRE_VERIFIED_EMAIL,
  };
}

/** Opens the database, applies migrations, seeds the first admin and listens. */
export async function startServer(env: Env, logger: Logger, options: StartOptions = {}): Promise<RunningServer> {
  const passwordPolicy = options.authSettings?.passwordPolicy;
  if (env.NODE_ENV === "production" && passwordPolicy && !meetsOwaspMinimum(passwordPolicy)) {
    // Only tests choose a cheaper policy (TEST_PASSWORD_POLICY); production hashes at OWASP's minimum or more.
    throw new Error("password hashing below OWASP's minimum (a policy for tests) is refused when NODE_ENV=production");
  }
  // Per process, so each process can find its own connections in pg_stat_activity (pool metrics).
  const applicationName = `inkwell-server-${process.pid}`;
  const database = await openDatabase(env, {
    applicationName,
    onLog: (message) => logger.trace({ postgres: message.trim() }, "postgres"),
  });
  if (database.embedded) {
    logger.info({ port: database.embedded.port }, "started embedded PostgreSQL (DATABASE_URL is unset)");
  }

  let encryptionKey: Uint8Array | null;
  try {
    const resolved = await resolveEncryptionKey(env);
    encryptionKey = resolved.key;
    if (resolved.source === "generated") {
      logger.info("generated an encryption key for two-factor secrets beside the embedded database");
    } else if (resolved.source === "none") {
      logger.warn("ENCRYPTION_KEY is unset: two-factor sign-in cannot be turned on until it is (see README)");
    }
    await runMigrations(env.DATABASE_DIRECT_URL ?? database.url);
    const admin = await ensureInitialAdmin(database.db, {
      email: env.INKWELL_ADMIN_EMAIL,
      password: env.INKWELL_ADMIN_PASSWORD,
    });
    if (admin.created) announceInitialAdmin(admin.email, admin.generatedPassword);
  } catch (error) {
    await database.shutdown();
    throw error;
  }

  // LISTEN needs a session of its own on PostgreSQL itself: behind PgBouncer, the direct URL.
  const liveConnection = connect({ url: env.DATABASE_DIRECT_URL ?? database.url, maxConnections: 1, applicationName });
  const live = await startLiveEvents({
    listenSql: liveConnection.sql,
    db: liveConnection.db,
    onError: (error, what) => logger.warn({ err: error }, `live events: ${what}`),
  }).catch(async (error: unknown) => {
    await liveConnection.close();
    await database.shutdown();
    throw error;
  });

  // Attempt counters commit on their own, on connections no mutation holds (see ApiDeps.counters).
  const counters = connect({
    url: database.url,
    maxConnections: 2,
    applicationName,
    prepare: env.DATABASE_PREPARED_STATEMENTS,
  });
  // Queries read from streaming replicas when there are some (decision 014); none: nothing changes.
  const replicas =
    env.DATABASE_REPLICA_URLS.length > 0
      ? await ReadReplicas.open({
          primary: database.db,
          primarySql: database.sql,
          urls: env.DATABASE_REPLICA_URLS,
          maxConnections: env.DATABASE_POOL_MAX,
          applicationName,
          prepare: env.DATABASE_PREPARED_STATEMENTS,
          healthIntervalMs: options.replicaHealthIntervalMs,
          onHealthChange: (replica, healthy, error) =>
            healthy
              ? logger.info({ replica }, "read replica is up: queries read there again")
              : logger.warn(
                  { replica, err: error },
                  "read replica is down or not a standby: its reads go to the primary",
                ),
        })
      : undefined;
  const authSettings = { ...authSettingsFromEnv(env), ...options.authSettings };
  // Links in emails need the public URL; without PUBLIC_URL it is this server's own, known once it listens.
  let ownUrl = "";
  const links = createLinkBuilder(() => env.PUBLIC_URL ?? ownUrl);
  const metrics = metricsIfServed(env, logger, () => ({
    collector: createMetrics({
      poolMax: env.DATABASE_POOL_MAX,
      sql: database.sql,
      applicationName,
      liveStreams: () => live.hub.subscriberCount,
      queueDepth: () => queueDepth(database.db),
    }),
    token: env.METRICS_TOKEN,
  }));
  // Counted here, reported to PostgreSQL once a second (decision 012).
  const rateStore = new BatchedRateStore(new PostgresRateStore(database.sql), {
    onSyncError: (error) => logger.warn({ err: error }, "rate limits: reporting counted hits failed; retrying"),
  });
  // Until the job worker runs, /readyz says so: the server listens first (links in emails need its own URL).
  let starting = true;
  const app = createApp({
    starting: () => starting,
    api: {
      db: database.db,
      sql: database.sql,
      version,
      authSettings,
      counters: counters.db,
      encryptionKey,
      logger,
      links,
      publicUrl: env.PUBLIC_URL,
      identityProviders: createIdentityProviders(env.OAUTH_PROVIDERS),
      events: live.hub,
      replicas,
    },
    logger,
    adminDist: options.serveAdmin ? adminDistDir : undefined,
    trustProxy: env.TRUST_PROXY,
    corsOrigins: env.CORS_ORIGINS,
    rateStore,
    limits: {
      bodyLimitBytes: env.BODY_LIMIT_BYTES,
      requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
      rate: {
        perIpPerMinute: env.RATE_LIMIT_IP_PER_MINUTE,
        perCredentialPerMinute: env.RATE_LIMIT_CREDENTIAL_PER_MINUTE,
      },
      liveStreamsPerAddress: env.LIVE_STREAMS_PER_ADDRESS,
    },
    metrics,
  });

  const server = serve({
    fetch: app.fetch,
    hostname: env.HOST,
    port: env.PORT,
    createServer: createServerSetting(await securityHeaders()),
  });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${env.HOST.includes(":") ? `[${env.HOST}]` : env.HOST}:${port}`;
  ownUrl = url;
  if (!env.PUBLIC_URL && env.NODE_ENV === "production") {
    // Not `url`: that field announces that the server is listening (tests and scripts wait for it).
    logger.warn({ linksTo: url }, "PUBLIC_URL is unset: links in emails point at this server's own address");
  }

  const background = await startBackgroundWork({
    env,
    directUrl: env.DATABASE_DIRECT_URL ?? database.url,
    databaseUrl: database.url,
    logger,
    authSettings,
    links,
    encryptionKey,
    // Not the pool's name: the pool-connection metrics count connections by it.
    applicationName,
    observer: metrics?.collector.jobs,
    overrides: options.jobs,
  }).catch(async (error: unknown) => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await live.close();
    await rateStore.close().catch(() => {});
    await liveConnection.close();
    await counters.close();
    await replicas?.close();
    await database.shutdown();
    throw error;
  });
  starting = false;

  return {
    url,
    port,
    syncRateLimits: () => rateStore.sync(),
    async close() {
      // Open streams never finish by themselves: end them first (clients reconnect elsewhere and resume).
      await live.close();
      // No new jobs from here; the ones running finish (or are released) while requests drain.
      await Promise.all([new Promise<void>((resolve) => server.close(() => resolve())), background.stop()]);
      await rateStore.close().catch((error: unknown) => logger.warn({ err: error }, "rate limits: last report failed"));
      await liveConnection.close();
      await counters.close();
      await replicas?.close();
      await database.shutdown();
    },
  };
}

/** The generated password is printed once, on the terminal only; it is never logged. */
function announceInitialAdmin(email: string, generatedPassword: string | undefined): void {
  const lines = generatedPassword
    ? [`Created the first admin: ${email}`, `Password (shown once, change it after signing in): ${generatedPassword}`]
    : [`Created the first admin: ${email} (password from INKWELL_ADMIN_PASSWORD)`];
  process.stdout.write(`\n${lines.map((line) => `  ${line}`).join("\n")}\n\n`);
}
