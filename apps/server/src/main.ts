import { ConfigError, loadDotEnv, parseEnv } from "@inkwell/config";
import { createLogger } from "./logger.ts";
import { startServer } from "./server.ts";

loadDotEnv();

let env: ReturnType<typeof parseEnv>;
try {
  env = parseEnv();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const logger = createLogger({ level: env.LOG_LEVEL, pretty: env.NODE_ENV === "development" });
const server = await startServer(env, logger, { serveAdmin: env.NODE_ENV === "production" }).catch((error) => {
  logger.fatal({ err: error }, "could not start");
  process.exit(1);
});
logger.info({ url: server.url }, `Inkwell is listening on ${server.url}`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    // A stuck request or database must not keep the process alive forever.
    setTimeout(() => process.exit(1), 10_000).unref();
    server.close().then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  });
}
