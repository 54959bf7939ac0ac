import { verifyPassword } from "@inkwell/auth";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/index.ts";
import { SEED_PASSWORD } from "./plan.ts";
import { SeedRefusedError, seed } from "./seed.ts";

const sizes = { users: 20, articles: 60, comments: 90, favorites: 80, follows: 40, tags: 10, tagsPerArticle: 3 };

async function fingerprint(database: TestDatabase): Promise<string> {
  const [row] = await database.db.execute<{ digest: string }>(sql`
    select md5(
      (select string_agg(username || email || role || status, ',' order by id) from users) ||
      (select string_agg(slug || title || author_id || moderation, ',' order by id) from articles) ||
      (select string_agg(article_id || ':' || tag_id, ',' order by article_id, tag_id) from article_tags) ||
      (select string_agg(article_id || ':' || author_id || body, ',' order by id) from comments)
    ) as digest`);
  return row?.digest ?? "";
}

describe("seed", () => {
  let first: TestDatabase;
  let second: TestDatabase;
  beforeAll(async () => {
    [first, second] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });
  afterAll(() => Promise.all([first.drop(), second.drop()]));

  it("writes the requested sizes, with operators who can sign in", async () => {
    const counts = await seed(first.db, { ...sizes, seed: 7, reset: false });
    expect(counts).toMatchObject({ users: 20, articles: 60, comments: 90, favorites: 80, tags: 10 });
    expect(counts.follows).toBeGreaterThan(30);
    const [admin] = await first.sql`select role, password_hash from users where email = 'admin@example.com'`;
    expect(admin?.role).toBe("admin");
    expect(await verifyPassword(admin?.password_hash, SEED_PASSWORD)).toBe(true);
  });

  it("is deterministic: the same seed writes the same data", async () => {
    await seed(second.db, { ...sizes, seed: 7, reset: false });
    expect(await fingerprint(second)).toBe(await fingerprint(first));
  });

  it("refuses to overwrite content unless asked to reset", async () => {
    await expect(seed(first.db, { ...sizes, seed: 8, reset: false })).rejects.toBeInstanceOf(SeedRefusedError);
    await seed(first.db, { ...sizes, seed: 8, reset: true });
    expect(await fingerprint(first)).not.toBe(await fingerprint(second));
  });
});
