import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { type AuthSettings, days, defaultAuthSettings, ensureInitialAdmin, startLiveEvents } from "@inkwell/api";
import { type Env, repoRoot } from "@inkwell/config";
import { connect, openDatabase, runMigrations } from "@inkwell/db";
import { createApp } from "./app.ts";
import { resolveEncryptionKey } from "./encryption-key.ts";
import type { Logger } from "./logger.ts";
import { startMaintenance } from "./maintenance.ts";
import { createMetrics, metricsIfServed } from "./metrics.ts";

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

export const adminDistDir = `${repoRoot}apps/admin/dist`;

export interface RunningServer {
  url: string;
  port: number;
  /**
   * Ends live streams, stops accepting, lets requests in flight finish, stops maintenance,
   * closes the pool, stops embedded PostgreSQL.
   */
  close(): Promise<void>;
}

export interface StartOptions {
  /** Serve the built admin console from `/` (off in `pnpm dev`, where Vite serves it). */
  serveAdmin?: boolean;
  /** Overrides for tests (e.g. short throttle delays); the environment decides the rest. */
  authSettings?: Partial<AuthSettings>;
  /** How often expired sessions and stale throttle counters are deleted (tests shorten it). */
  maintenanceIntervalMs?: number;
}

export function authSettingsFromEnv(env: Env): AuthSettings {
  return {
    ...defaultAuthSettings,
    sessionIdleTimeoutMs: days(env.SESSION_IDLE_TIMEOUT_DAYS),
    sessionMaxAgeMs: days(env.SESSION_MAX_AGE_DAYS),
    cookieSecure: env.COOKIE_SECURE === "auto" ? "auto" : env.COOKIE_SECURE === "true",
    trustedOrigins: env.TRUSTED_ORIGINS,
    rejectBreachedPasswords: env.PASSWORD_REJECT_BREACHED,
  };
}

/** Opens the database, applies migrations, seeds the first admin and listens. */
export async function startServer(env: Env, logger: Logger, options: StartOptions = {}): Promise<RunningServer> {
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
  const authSettings = { ...authSettingsFromEnv(env), ...options.authSettings };
  const app = createApp({
    api: {
      db: database.db,
      sql: database.sql,
      version,
      authSettings,
      counters: counters.db,
      encryptionKey,
      logger,
      events: live.hub,
    },
    logger,
    adminDist: options.serveAdmin ? adminDistDir : undefined,
    trustProxy: env.TRUST_PROXY,
    corsOrigins: env.CORS_ORIGINS,
    limits: {
      bodyLimitBytes: env.BODY_LIMIT_BYTES,
      requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
      rate: {
        perIpPerMinute: env.RATE_LIMIT_IP_PER_MINUTE,
        perCredentialPerMinute: env.RATE_LIMIT_CREDENTIAL_PER_MINUTE,
      },
      liveStreamsPerAddress: env.LIVE_STREAMS_PER_ADDRESS,
    },
    metrics: metricsIfServed(env, logger, () => ({
      collector: createMetrics({
        poolMax: env.DATABASE_POOL_MAX,
        sql: database.sql,
        applicationName,
        liveStreams: () => live.hub.subscriberCount,
      }),
      token: env.METRICS_TOKEN,
    })),
  });

  const server = serve({ fetch: app.fetch, hostname: env.HOST, port: env.PORT });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${env.HOST.includes(":") ? `[${env.HOST}]` : env.HOST}:${port}`;

  const maintenance = startMaintenance({
    url: env.DATABASE_DIRECT_URL ?? database.url,
    // Not the pool's name: the pool-connection metrics count connections by it.
    applicationName: `${applicationName}-maintenance`,
    authSettings,
    logger,
    intervalMs: options.maintenanceIntervalMs,
  });

  return {
    url,
    port,
    async close() {
      // Open streams never finish by themselves: end them first (clients reconnect elsewhere and resume).
      await live.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await maintenance.stop();
      await liveConnection.close();
      await counters.close();
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
