/**
 * Experiment, loaded into the server child with `--experiment prepared-statements`
 * (never in production): makes drizzle send every statement as a named prepared
 * statement, which is what `DATABASE_PREPARED_STATEMENTS=true` promises but
 * drizzle only does for queries built with `.prepare(name)`. It measures the
 * change proposed in BENCHMARKS.md ("Findings") without editing the server.
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { repoRoot } from "@inkwell/config";

type Session = { prototype: { prepareQuery: (...args: unknown[]) => { prepare: boolean } } };

// The drizzle-orm that @inkwell/db's `connect()` uses (pnpm may hold several builds of it).
const cjsEntry = createRequire(`${repoRoot}packages/db/package.json`).resolve("drizzle-orm/postgres-js");
const { PostgresJsSession } = (await import(pathToFileURL(cjsEntry.replace(/\.cjs$/, ".js")).href)) as {
  PostgresJsSession: Session;
};
const prepareQuery = PostgresJsSession.prototype.prepareQuery;
PostgresJsSession.prototype.prepareQuery = function (...args: unknown[]) {
  const query = prepareQuery.apply(this, args);
  query.prepare = true;
  return query;
};
console.error("experiment prepared-statements: drizzle queries are sent as named prepared statements");
