import { faker } from "@faker-js/faker";
import { hashPassword } from "@inkwell/auth";
import slugify from "@sindresorhus/slugify";
import { sql } from "drizzle-orm";
import type { Database } from "../client.ts";
import { articles, articleTags, comments, favorites, follows, tags, users } from "../schema/index.ts";
import { clearForSeed, type TableCounts } from "./clear.ts";
import { SEED_PASSWORD, type SeedSizes, seededOperators } from "./plan.ts";

export interface SeedOptions extends SeedSizes {
  /** PRNG seed: the same seed and sizes write the same data. */
  seed: number;
  /**
   * Delete all users and content first (see `clearForSeed`). Without it, a
   * database holding any user, content, session, API key or audit event is refused.
   */
  reset: boolean;
  /** With `reset`: the rows about to be deleted, per table, heard before they are. */
  onReset?: (deleting: TableCounts) => void;
  onProgress?: (step: string, done: number, total: number) => void;
  /**
   * The server the avatars are drawn by (its `/avatars/<username>.svg` route), e.g.
   * `http://127.0.0.1:3000`: about two users in three get one. Without it no user
   * has an image. Never a third-party host: a seeded console loads nothing from
   * elsewhere.
   */
  avatarBaseUrl?: string;
}

const DAY = 24 * 60 * 60 * 1000;
// A fixed clock keeps runs identical; content spans the year before it.
const EPOCH = Date.parse("2026-01-01T00:00:00Z");

function chunks<T>(rows: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < rows.length; i += size) result.push(rows.slice(i, i + size));
  return result;
}

/** `count` distinct pairs drawn from `draw`, keyed by `key`. */
function distinct<T>(count: number, draw: () => T, key: (value: T) => string): T[] {
  const seen = new Map<string, T>();
  let attempts = 0;
  while (seen.size < count && attempts < count * 20) {
    const value = draw();
    seen.set(key(value), value);
    attempts++;
  }
  return [...seen.values()];
}

/** Writes deterministic, realistic data in batched inserts. */
export async function seed(db: Database, options: SeedOptions): Promise<Record<string, number>> {
  const progress = options.onProgress ?? (() => {});
  faker.seed(options.seed);

  await clearForSeed(db, { reset: options.reset, onReset: options.onReset });

  const passwordHash = await hashPassword(SEED_PASSWORD);
  const avatarBase = options.avatarBaseUrl?.replace(/\/+$/, "");
  const avatarUrl = (username: string) => (avatarBase ? `${avatarBase}/avatars/${username}.svg` : null);
  const spread = (index: number, total: number) =>
    new Date(EPOCH - 365 * DAY + Math.floor((index / total) * 365 * DAY));

  const userRows = Array.from({ length: options.users }, (_, i) => {
    const operator = seededOperators[i];
    const first = faker.person.firstName();
    const last = faker.person.lastName();
    const username = operator?.username ?? `${slugify(`${first}-${last}`)}-${i}`;
    return {
      username,
      email: operator?.email ?? `${username}@example.com`,
      passwordHash,
      role: operator?.role ?? ("user" as const),
      status: i > 5 && faker.number.int(100) < 2 ? ("suspended" as const) : ("active" as const),
      bio: faker.number.int(3) === 0 ? null : faker.person.bio(),
      image: faker.number.int(2) === 0 ? null : avatarUrl(username),
      createdAt: spread(i, options.users),
    };
  });
  for (const [n, batch] of chunks(userRows, 2_000).entries()) {
    await db.insert(users).values(batch);
    progress("users", Math.min((n + 1) * 2_000, userRows.length), userRows.length);
  }

  const tagNames = distinct(
    options.tags,
    () => slugify(faker.word.noun()),
    (name) => name,
  ).slice(0, options.tags);
  while (tagNames.length < options.tags) tagNames.push(`topic-${tagNames.length}`);
  await db.insert(tags).values(tagNames.map((name) => ({ name })));
  progress("tags", tagNames.length, tagNames.length);

  const userId = () => faker.number.int({ min: 1, max: options.users });
  for (let start = 0; start < options.articles; start += 2_000) {
    const count = Math.min(2_000, options.articles - start);
    const batch = Array.from({ length: count }, (_, k) => {
      const i = start + k;
      const title = faker.lorem.sentence({ min: 3, max: 9 }).replace(/\.$/, "");
      const createdAt = spread(i, options.articles);
      return {
        slug: `${slugify(title)}-${i + 1}`,
        title,
        description: faker.lorem.sentence({ min: 8, max: 20 }),
        body: faker.lorem.paragraphs({ min: 2, max: 5 }, "\n\n"),
        authorId: userId(),
        moderation: faker.number.int(100) < 2 ? ("hidden" as const) : ("visible" as const),
        createdAt,
        updatedAt: createdAt,
      };
    });
    await db.insert(articles).values(batch);
    // Articles were inserted in order, so their ids are start+1 … start+count.
    const links = batch.flatMap((_, k) =>
      faker.helpers
        .arrayElements(tagNames, { min: 0, max: Math.min(tagNames.length, options.tagsPerArticle * 2 - 1) })
        .map((name) => ({ articleId: start + k + 1, tagId: tagNames.indexOf(name) + 1 })),
    );
    for (const linkBatch of chunks(links, 10_000)) await db.insert(articleTags).values(linkBatch);
    progress("articles", start + count, options.articles);
  }

  const articleId = () => faker.number.int({ min: 1, max: options.articles });
  if (options.articles > 0) {
    for (let start = 0; start < options.comments; start += 5_000) {
      const count = Math.min(5_000, options.comments - start);
      const batch = Array.from({ length: count }, (_, k) => {
        const createdAt = spread(start + k, options.comments);
        return {
          articleId: articleId(),
          authorId: userId(),
          body: faker.lorem.sentences({ min: 1, max: 4 }),
          moderation: faker.number.int(100) < 1 ? ("hidden" as const) : ("visible" as const),
          createdAt,
          updatedAt: createdAt,
        };
      });
      await db.insert(comments).values(batch);
      progress("comments", start + count, options.comments);
    }

    const favoriteRows = distinct(
      Math.min(options.favorites, options.users * options.articles),
      () => ({ userId: userId(), articleId: articleId() }),
      (row) => `${row.userId}:${row.articleId}`,
    );
    for (const [n, batch] of chunks(favoriteRows, 10_000).entries()) {
      await db.insert(favorites).values(batch).onConflictDoNothing();
      progress("favorites", Math.min((n + 1) * 10_000, favoriteRows.length), favoriteRows.length);
    }
  }

  const followRows = distinct(
    Math.min(options.follows, options.users * (options.users - 1)),
    () => ({ followerId: userId(), followingId: userId() }),
    (row) => `${row.followerId}:${row.followingId}`,
  ).filter((row) => row.followerId !== row.followingId);
  for (const batch of chunks(followRows, 10_000)) await db.insert(follows).values(batch).onConflictDoNothing();
  progress("follows", followRows.length, followRows.length);

  // Fresh statistics and visibility map, so the planner sees the new sizes (and can use
  // index-only scans) before autovacuum gets round to it.
  await db.execute(sql`vacuum analyze`);

  const [counts] = await db.execute<Record<string, number>>(sql`
    select (select count(*)::int from users) as users,
           (select count(*)::int from articles) as articles,
           (select count(*)::int from article_tags) as "articleTags",
           (select count(*)::int from comments) as comments,
           (select count(*)::int from favorites) as favorites,
           (select count(*)::int from follows) as follows,
           (select count(*)::int from tags) as tags`);
  return counts ?? {};
}
