import { verifyPassword } from "@inkwell/auth";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/index.ts";
import { SeedRefusedError, type TableCounts } from "./clear.ts";
import { SEED_PASSWORD } from "./plan.ts";
import { seed } from "./seed.ts";

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

  it("refuses to overwrite content unless asked to reset, and says what a reset deletes before it does", async () => {
    const before = await fingerprint(first);
    await expect(seed(first.db, { ...sizes, seed: 8, reset: false })).rejects.toBeInstanceOf(SeedRefusedError);
    expect(await fingerprint(first)).toBe(before);

    const heard: TableCounts[] = [];
    await seed(first.db, { ...sizes, seed: 8, reset: true, onReset: (deleting) => heard.push(deleting) });
    expect(heard).toEqual([
      expect.objectContaining({ users: 20, articles: 60, comments: 90, favorites: 80, tags: 10, sessions: 0 }),
    ]);
    expect(await fingerprint(first)).not.toBe(await fingerprint(second));
  });
});

/** What a server leaves on its first start and first use: the bootstrap admin, signed in, with an audit trail. */
async function bootstrapAdmin(database: TestDatabase): Promise<void> {
  await database.sql`insert into users (email, username, password_hash, role)
                     values ('root@inkwell.local', 'admin', 'argon2-hash', 'admin')`;
  await database.sql`insert into sessions (id, secret_hash, user_id) values ('s1', '\\x00', 1)`;
  await database.sql`insert into api_keys (user_id, name, prefix, secret_hash, scopes)
                     values (1, 'ci', 'ink_abc', '\\x00', '{articles:write}')`;
  await database.sql`insert into audit_events (actor_id, action) values (1, 'auth.signIn'), (1, 'apiKeys.create')`;
}

async function everyRow(database: TestDatabase): Promise<string> {
  const [row] = await database.sql<{ rows: string }[]>`
    select concat_ws('|',
      (select string_agg(u::text, ',' order by id) from users u),
      (select string_agg(s::text, ',' order by id) from sessions s),
      (select string_agg(k::text, ',' order by id) from api_keys k),
      (select string_agg(e::text, ',' order by id) from audit_events e)) as rows`;
  return row?.rows ?? "";
}

describe("seed on a database in use", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it("leaves a database holding only the bootstrap admin untouched: rows, ids and audit trail", async () => {
    await bootstrapAdmin(database);
    const before = await everyRow(database);
    expect(before).toContain("auth.signIn");

    const refused = seed(database.db, { ...sizes, seed: 1, reset: false });
    await expect(refused).rejects.toBeInstanceOf(SeedRefusedError);
    await expect(refused).rejects.toMatchObject({
      existing: expect.objectContaining({ users: 1, sessions: 1, api_keys: 1, audit_events: 2, articles: 0 }),
      message: expect.stringMatching(/not empty \(.*users: 1.*\); nothing was changed\. .*--reset/),
    });
    expect(await everyRow(database)).toBe(before);
    // The identity sequence was not restarted either: the next user still gets id 2.
    const [next] = await database.sql`insert into users (email, username, password_hash)
                                      values ('x@example.com', 'x', 'h') returning id`;
    expect(next?.id).toBe(2);
    await database.sql`delete from users where id = 2`;
  });

  it.each([
    ["a tag", "insert into tags (name) values ('alone')"],
    ["an audit event whose actor is gone", "insert into audit_events (action) values ('users.delete')"],
  ])("refuses a database holding only %s", async (_what, statement) => {
    const other = await createTestDatabase();
    try {
      await other.sql.unsafe(statement);
      await expect(seed(other.db, { ...sizes, seed: 1, reset: false })).rejects.toBeInstanceOf(SeedRefusedError);
    } finally {
      await other.drop();
    }
  });

  it("counts, and only with --reset empties, a table added later that references users", async () => {
    await database.sql`create table profile_notes (user_id int not null references users on delete cascade, note text)`;
    await database.sql`insert into profile_notes values (1, 'keep me')`;
    await expect(seed(database.db, { ...sizes, seed: 1, reset: false })).rejects.toMatchObject({
      existing: expect.objectContaining({ profile_notes: 1 }),
    });

    const heard: TableCounts[] = [];
    const counts = await seed(database.db, { ...sizes, seed: 1, reset: true, onReset: (d) => heard.push(d) });
    expect(heard).toHaveLength(1);
    expect(heard[0]).toEqual({
      account_tokens: 0,
      api_keys: 1,
      article_tags: 0,
      articles: 0,
      audit_events: 2,
      comments: 0,
      favorites: 0,
      follows: 0,
      profile_notes: 1,
      sessions: 1,
      tags: 0,
      two_factor_challenges: 0,
      two_factor_recovery_codes: 0,
      user_two_factor: 0,
      oauth_flows: 0,
      passkeys: 0,
      user_identities: 0,
      webauthn_challenges: 0,
      webhook_attempts: 0,
      webhook_deliveries: 0,
      webhook_endpoints: 0,
      users: 1,
    });
    expect(counts.users).toBe(sizes.users);
    const [left] = await database.sql`
      select (select count(*)::int from profile_notes) as notes, (select count(*)::int from audit_events) as events,
             (select min(id) from users) as "firstUserId",
             (select count(*)::int from users where email = 'root@inkwell.local') as "oldAdmin"`;
    expect(left).toEqual({ notes: 0, events: 0, firstUserId: 1, oldAdmin: 0 });
  });
});
