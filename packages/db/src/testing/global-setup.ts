import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { connect } from "../client.ts";
import { startEmbeddedPostgres } from "../embedded.ts";
import { runMigrations } from "../migrations.ts";

import { TEMPLATE_DATABASE } from "./index.ts";

/**
 * One embedded PostgreSQL for the whole run, with a migrated template
 * database that every test file clones (CREATE DATABASE … TEMPLATE is a file
 * copy, much faster than migrating again).
 */
export default async function setup(project: TestProject) {
  const folder = await mkdtemp(join(tmpdir(), "inkwell-test-"));
  await chmod(folder, 0o755);
  const dataDir = join(folder, "pg");
  const cluster = await startEmbeddedPostgres({
    dataDir,
    persistent: false,
    // A throwaway cluster: durability settings only cost time here.
    settings: { fsync: "off", synchronous_commit: "off", full_page_writes: "off", max_connections: "300" },
  });

  const admin = connect({ url: cluster.url, maxConnections: 1 });
  await admin.sql.unsafe(`create database ${TEMPLATE_DATABASE}`);
  await admin.close();
  await runMigrations(cluster.urlFor(TEMPLATE_DATABASE));

  project.provide("postgresAdminUrl", cluster.url);
  project.provide("postgresDataDir", dataDir);

  return async () => {
    await cluster.stop();
    await rm(folder, { recursive: true, force: true });
  };
}
