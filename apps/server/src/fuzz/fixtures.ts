import type { SqlClient } from "@inkwell/db";
import { type Callers, FUZZ_PASSWORD } from "./callers.ts";
import type { KnownValues } from "./json-schema.ts";

const cursorOf = (createdAt: Date | string, id: number) =>
  Buffer.from(JSON.stringify([new Date(createdAt).toISOString(), id])).toString("base64url");

async function mutate(url: string, path: string, input: unknown, headers: Record<string, string>) {
  const response = await fetch(`${url}/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ json: input }),
  });
  if (response.status !== 200) throw new Error(`fixture ${path} failed: ${await response.text()}`);
  return ((await response.json()) as { result: { data: { json: Record<string, unknown> } } }).result.data.json;
}

/**
 * Content for the fuzzed calls to find (the fuzzed admin may delete any of
 * it): articles with tags and comments by the fixture author, a follow and a
 * favorite by the plain user. Topped up before each procedure.
 */
export async function ensureContent(url: string, sql: SqlClient, callers: Callers): Promise<void> {
  const author = callers.account("author");
  const user = callers.account("user");
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from articles where author_id = ${author.id} and moderation = 'visible'`;
  for (let i = row?.n ?? 0; i < 3; i++) {
    const article = await mutate(
      url,
      "articles.create",
      { title: `Fixture ${Date.now()} ${i}`, description: "About fuzzing", body: "Body.", tagList: ["fuzz", `t${i}`] },
      author.headers,
    );
    await mutate(url, "comments.add", { slug: article.slug, body: "A comment." }, author.headers);
    await mutate(url, "comments.add", { slug: article.slug, body: "A reply." }, user.headers);
    await mutate(url, "articles.favorite", { slug: article.slug }, user.headers);
  }
  const [follows] = await sql<{ n: number }[]>`
    select count(*)::int as n from follows where follower_id = ${user.id} and following_id = ${author.id}`;
  if (!follows?.n) await mutate(url, "profiles.follow", { username: author.username }, user.headers);
}

/** A sample of what is in the database now, by the field names it fits, plus the run's password and real cursors. */
export async function knownValues(sql: SqlClient, callers: Callers): Promise<KnownValues> {
  const articles = await sql<{ id: number; slug: string; created_at: Date }[]>`
    select id, slug, created_at from articles order by id desc limit 6`;
  const comments = await sql<{ id: number; created_at: Date }[]>`
    select id, created_at from comments order by id desc limit 4`;
  const users = await sql<{ id: number; username: string; email: string }[]>`
    select id, username, email from users order by id desc limit 6`;
  const tags = await sql<{ id: number; name: string }[]>`select id, name from tags order by id desc limit 4`;
  const keys = await sql<{ id: number }[]>`select id from api_keys order by id desc limit 3`;
  const sessions = await sql<{ id: string }[]>`select id from sessions order by created_at desc limit 3`;
  const events = await sql<{ id: number; action: string }[]>`
    select id, action from audit_events order by id desc limit 4`;

  const userIds = [...users.map((u) => u.id), ...callers.allAccounts().map((a) => a.id)];
  const usernames = [...users.map((u) => u.username), ...callers.allAccounts().map((a) => a.username)];
  const tagIds = tags.map((t) => t.id);
  const ids = [...articles.map((a) => a.id), ...comments.map((c) => c.id)];
  const byName: Record<string, (string | number)[]> = {
    slug: articles.map((a) => a.slug),
    username: usernames,
    author: usernames,
    favoritedBy: usernames,
    email: [...users.map((u) => u.email), ...callers.allAccounts().map((a) => a.email)],
    password: [FUZZ_PASSWORD],
    currentPassword: [FUZZ_PASSWORD],
    tag: tags.map((t) => t.name),
    tagList: tags.map((t) => t.name),
    name: tags.map((t) => t.name),
    cursor: [
      ...articles.slice(0, 2).map((a) => cursorOf(a.created_at, a.id)),
      ...comments.slice(0, 2).map((c) => cursorOf(c.created_at, c.id)),
    ],
    action: events.map((e) => e.action),
    targetType: ["user", "article", "comment", "tag", "apiKey", "session"],
    targetId: [...ids.map(String), ...tagIds],
    lastEventId: events.map((e) => String(e.id)),
    id: [...sessions.map((s) => s.id), ...keys.map((k) => k.id), ...tagIds, ...comments.map((c) => c.id)],
    ids,
    userId: userIds,
    authorId: userIds,
    actorId: userIds,
    articleId: articles.map((a) => a.id),
    sourceIds: tagIds,
  };
  const all = Object.values(byName).flat();
  return {
    byName,
    strings: [...new Set(all.filter((v): v is string => typeof v === "string"))],
    integers: [...new Set(all.filter((v): v is number => typeof v === "number"))],
  };
}
