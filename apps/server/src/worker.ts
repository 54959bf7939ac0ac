/**
 * `pnpm worker`: runs background jobs (and the maintenance schedule) without
 * serving HTTP, for deployments that keep workers apart from the servers. Same
 * environment as the server; `WORKER_CONCURRENCY` jobs at once (set the
 * servers' to 0 so only workers run jobs). Applies migrations like the server.
 */
import { createLinkBuilder } from "@inkwell/api";
import { ConfigError, loadDotEnv, parseEnv } from "@inkwell/config";
import { openDatabase, runMigrations } from "@inkwell/db";
import { startBackgroundWork } from "./background.ts";
import { resolveEncryptionKey } from "./encryption-key.ts";
import { createLogger } from "./logger.ts";
import { authSettingsFromEnv } from "./server.ts";

loadDotEnv();

let env: ReturnType<typeof parseEnv>;
try {
  env = parseEnv();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
if (env.WORKER_CONCURRENCY === 0) {
  console.error("WORKER_CONCURRENCY is 0: this worker would run no jobs. Set it to 1 or more.");
  process.exit(1);
}

const logger = createLogger({ level: env.LOG_LEVEL, pretty: env.NODE_ENV === "development" });
const applicationName = `inkwell-worker-${process.pid}`;
const database = await openDatabase(env, { applicationName });
const ownUrl = `http://${env.HOST.includes(":") ? `[${env.HOST}]` : env.HOST}:${env.PORT}`;
const background = await (async () => {
  await runMigrations(env.DATABASE_DIRECT_URL ?? database.url);
  // Webhook deliveries are signed with secrets sealed under it.
  const { key: encryptionKey } = await resolveEncryptionKey(env);
  return startBackgroundWork({
    env,
    directUrl: env.DATABASE_DIRECT_URL ?? database.url,
    databaseUrl: database.url,
    logger,
    authSettings: authSettingsFromEnv(env),
    links: createLinkBuilder(() => env.PUBLIC_URL ?? ownUrl),
    encryptionKey,
    applicationName,
  });
})().catch(async (error: unknown) => {
  logger.fatal({ err: error }, "could not start the worker");
  await database.shutdown();
  process.exit(1);
});
logger.info({ pid: process.pid }, "Inkwell worker started");

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "worker shutting down");
    setTimeout(() => process.exit(1), 10_000).unref();
    background
      .stop()
      .then(() => database.shutdown())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, "worker shutdown failed");
          process.exit(1);
        },
      );
  });
}
