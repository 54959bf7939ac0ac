import { parseArgs } from "node:util";
import { ConfigError, loadDotEnv, parseEnv } from "@inkwell/config";
import { runMigrations } from "../migrations.ts";
import { openDatabase } from "../open.ts";
import { SeedRefusedError, type TableCounts } from "../seed/clear.ts";
import { defaultSizes, SEED_PASSWORD, seededOperators } from "../seed/plan.ts";
import { seed } from "../seed/seed.ts";

const usage = `Usage: pnpm db:seed [--users N] [--articles N] [--comments N] [--favorites N]
                    [--follows N] [--tags N] [--tags-per-article N] [--seed N] [--reset]

Seeds an empty database; a database holding any user, content, session, API key
or audit event is refused (exit code 1, nothing changed). --reset deletes all of
them first, and prints how many rows of each table it deletes before it does.`;

const sizeFlags = {
  users: "users",
  articles: "articles",
  comments: "comments",
  favorites: "favorites",
  follows: "follows",
  tags: "tags",
  "tags-per-article": "tagsPerArticle",
} as const;

function parseCount(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0)
    throw new UsageError(`--${flag} expects a whole number ≥ 0, got "${value}"`);
  return number;
}

class UsageError extends Error {}

/** Where the server that draws the seeded avatars answers: `PUBLIC_URL`, else the address `pnpm start` listens on. */
function serverUrl(env: { PUBLIC_URL?: string; HOST: string; PORT: number }): string {
  if (env.PUBLIC_URL) return env.PUBLIC_URL;
  const host = env.HOST === "0.0.0.0" || env.HOST === "::" ? "localhost" : env.HOST;
  return `http://${host.includes(":") ? `[${host}]` : host}:${env.PORT}`;
}

/** What `--reset` is about to delete, one table a line, said before it is deleted. */
function announceReset(deleting: TableCounts): void {
  const width = Math.max(...Object.keys(deleting).map((table) => table.length));
  const total = Object.values(deleting).reduce((sum, count) => sum + count, 0);
  const lines = Object.entries(deleting).map(
    ([table, count]) => `  ${table.padEnd(width)}  ${count.toLocaleString("en")}`,
  );
  console.log(`--reset deletes ${total.toLocaleString("en")} rows:\n${lines.join("\n")}`);
}

function parseFlags() {
  try {
    return parseArgs({
      options: {
        ...Object.fromEntries(Object.keys(sizeFlags).map((flag) => [flag, { type: "string" as const }])),
        seed: { type: "string" },
        reset: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function main() {
  const values = parseFlags().values as Record<string, string | boolean | undefined>;
  if (values.help) {
    console.log(usage);
    return;
  }
  const sizes = { ...defaultSizes };
  for (const [flag, key] of Object.entries(sizeFlags)) {
    sizes[key] = parseCount(flag, values[flag] as string | undefined, defaultSizes[key]);
  }
  if (sizes.users < seededOperators.length) throw new UsageError(`--users must be at least ${seededOperators.length}`);

  loadDotEnv();
  const env = parseEnv();
  const database = await openDatabase(env, { applicationName: "inkwell-seed" });
  try {
    await runMigrations(database.url);
    const started = performance.now();
    let lastLine = "";
    const counts = await seed(database.db, {
      ...sizes,
      seed: parseCount("seed", values.seed as string | undefined, 42),
      reset: values.reset as boolean,
      onReset: announceReset,
      avatarBaseUrl: serverUrl(env),
      onProgress: (step, done, total) => {
        const line = `  ${step}: ${done.toLocaleString("en")} / ${total.toLocaleString("en")}`;
        if (process.stdout.isTTY) process.stdout.write(`\r${line.padEnd(lastLine.length)}`);
        else if (done === total) console.log(line);
        lastLine = line;
      },
    });
    if (process.stdout.isTTY) process.stdout.write("\n");
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`Seeded in ${seconds}s:`, counts);
    console.log(`Sign in as ${seededOperators.map((o) => o.email).join(" or ")} with "${SEED_PASSWORD}".`);
  } finally {
    await database.shutdown();
  }
}

main().catch((error) => {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n${usage}`);
    process.exit(2);
  }
  console.error(error instanceof ConfigError || error instanceof SeedRefusedError ? error.message : error);
  process.exit(1);
});
