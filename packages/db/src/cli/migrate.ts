import { ConfigError, loadDotEnv, parseEnv } from "@inkwell/config";
import { migrationStatus, runMigrations } from "../migrations.ts";
import { openDatabase } from "../open.ts";

loadDotEnv();
try {
  const env = parseEnv();
  const database = await openDatabase(env, { applicationName: "inkwell-migrate" });
  try {
    await runMigrations(database.url);
    const status = await migrationStatus(database.sql);
    console.log(`Migrations applied: ${status.applied} of ${status.expected}.`);
  } finally {
    await database.shutdown();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
