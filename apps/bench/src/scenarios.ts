import type { SqlClient } from "@inkwell/db";
import { SEED_PASSWORD, seededOperators } from "@inkwell/db/seed";
import type { Caller } from "./ceiling.ts";

/** Real values the requests use, read once before the load starts. */
export interface Fixtures {
  /** A session token of the seeded admin, from `POST /api/users/login`. */
  token: string;
  /** Visible articles spread over the whole table. */
  slugs: string[];
  /** The most used tags. */
  tags: string[];
  /** Users spread over the table. */
  usernames: string[];
  /** The emails of those users (every seeded user has the seed's password). */
  signInEmails: string[];
  /**
   * The ETag of the anonymous first page (`GET /api/articles?limit=20`), as a revalidating client holds it;
   * null from a server without HTTP caching (an older build measured for comparison).
   */
  listEtag: string | null;
}

/** One HTTP request shape; each request takes the next of `paths` (and of `bodies`, if given) round robin. */
export interface RequestPlan {
  method: "GET" | "POST";
  paths: string[];
  headers?: Record<string, string>;
  body?: string;
  bodies?: string[];
}

export interface Scenario {
  id: number;
  name: string;
  request(fixtures: Fixtures): RequestPlan;
  /**
   * The procedure behind one request, one call per rotated variant, made as
   * the same caller (anonymous or the admin's token). Its SQL is the ceiling.
   */
  procedure?: { signedIn: boolean; calls(fixtures: Fixtures): ((api: Caller) => Promise<unknown>)[] };
  /** The status every answer must have (default: any 2xx). */
  expectedStatus?: number;
  /** A second client (one connection) measured alone, then alongside the load. */
  companion?: { name: string; request: RequestPlan };
  /** One webhook endpoint (a local receiver) subscribed to `comment.created` while it runs; deliveries are measured. */
  webhookSubscriber?: boolean;
}

const admin = seededOperators[0];
const LIMIT = 20;
const trpcPath = (procedure: string, input: unknown) =>
  `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
const usersListInput = {
  search: "an",
  role: "user",
  sort: "username",
  direction: "asc",
  pageSize: 20,
} as const;

export const signInBody = JSON.stringify({ user: { email: admin.email, password: SEED_PASSWORD } });

export const scenarios: Scenario[] = [
  {
    id: 1,
    name: "REST articles list, anonymous",
    request: () => ({ method: "GET", paths: [`/api/articles?limit=${LIMIT}`] }),
    procedure: { signedIn: false, calls: () => [(api) => api.articles.list({ limit: LIMIT })] },
  },
  {
    id: 2,
    name: "REST articles by tag, signed in",
    request: ({ tags, token }) => ({
      method: "GET",
      paths: tags.map((tag) => `/api/articles?limit=${LIMIT}&tag=${encodeURIComponent(tag)}`),
      headers: { authorization: `Token ${token}` },
    }),
    procedure: {
      signedIn: true,
      calls: ({ tags }) => tags.map((tag) => (api: Caller) => api.articles.list({ tag, limit: LIMIT })),
    },
  },
  {
    id: 3,
    name: "REST article by slug",
    request: ({ slugs }) => ({ method: "GET", paths: slugs.map((slug) => `/api/articles/${slug}`) }),
    procedure: {
      signedIn: false,
      calls: ({ slugs }) => slugs.map((slug) => (api: Caller) => api.articles.get({ slug })),
    },
  },
  {
    id: 4,
    name: "tRPC articles.list, anonymous",
    request: () => ({ method: "GET", paths: [trpcPath("articles.list", { limit: LIMIT })] }),
    procedure: { signedIn: false, calls: () => [(api) => api.articles.list({ limit: LIMIT })] },
  },
  {
    id: 5,
    name: "tRPC users.list (operator, search+role, by username)",
    request: ({ token }) => ({
      method: "GET",
      paths: [trpcPath("users.list", usersListInput)],
      headers: { authorization: `Bearer ${token}` },
    }),
    procedure: { signedIn: true, calls: () => [(api) => api.users.list(usersListInput)] },
  },
  {
    id: 8,
    name: "REST profile, anonymous",
    request: ({ usernames }) => ({
      method: "GET",
      paths: usernames.map((username) => `/api/profiles/${encodeURIComponent(username)}`),
    }),
    procedure: {
      signedIn: false,
      calls: ({ usernames }) => usernames.map((username) => (api: Caller) => api.profiles.get({ username })),
    },
  },
  {
    id: 9,
    name: "REST feed, signed in",
    request: ({ token }) => ({
      method: "GET",
      paths: [`/api/articles/feed?limit=${LIMIT}`],
      headers: { authorization: `Token ${token}` },
    }),
    procedure: { signedIn: true, calls: () => [(api) => api.articles.feed({ limit: LIMIT, offset: 0 })] },
  },
  {
    id: 10,
    name: "REST articles list, signed in",
    request: ({ token }) => ({
      method: "GET",
      paths: [`/api/articles?limit=${LIMIT}`],
      headers: { authorization: `Token ${token}` },
    }),
    procedure: { signedIn: true, calls: () => [(api) => api.articles.list({ limit: LIMIT })] },
  },
  {
    id: 11,
    name: "REST articles list, revalidating (If-None-Match → 304)",
    request: ({ listEtag }) => {
      if (!listEtag) {
        throw new Error("the articles list had no ETag (or failed) when the fixtures were read: cannot revalidate");
      }
      return { method: "GET", paths: [`/api/articles?limit=${LIMIT}`], headers: { "if-none-match": listEtag } };
    },
    // The server still reads the page to know whether it changed: the same SQL as scenario 1.
    procedure: { signedIn: false, calls: () => [(api) => api.articles.list({ limit: LIMIT })] },
    expectedStatus: 304,
  },
  {
    id: 6,
    name: "REST add comment (write), signed in",
    request: ({ slugs, token }) => ({
      method: "POST",
      paths: slugs.map((slug) => `/api/articles/${slug}/comments`),
      headers: { authorization: `Token ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ comment: { body: "A comment written by the benchmark." } }),
    }),
  },
  {
    id: 7,
    name: "REST sign-in (argon2)",
    // A hundred different people signing in: one account signing in 20 times at once is what the per-account
    // attempt limit (docs/security.md, J1) refuses past its free attempts, by design.
    request: ({ signInEmails }) => ({
      method: "POST",
      paths: ["/api/users/login"],
      headers: { "content-type": "application/json" },
      bodies: signInEmails.map((email) => JSON.stringify({ user: { email, password: SEED_PASSWORD } })),
    }),
    companion: { name: "/healthz", request: { method: "GET", paths: ["/healthz"] } },
  },
  {
    id: 12,
    name: "REST add comment, one webhook endpoint subscribed",
    request: ({ slugs, token }) => ({
      method: "POST",
      paths: slugs.map((slug) => `/api/articles/${slug}/comments`),
      headers: { authorization: `Token ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ comment: { body: "A comment written by the benchmark, delivered as a webhook." } }),
    }),
    webhookSubscriber: true,
  },
];

/** Signs the admin in over HTTP and reads slugs and tags from the database. */
export async function loadFixtures(baseUrl: string, sql: SqlClient): Promise<Fixtures> {
  const response = await fetch(`${baseUrl}/api/users/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: signInBody,
  });
  if (response.status !== 200) {
    throw new Error(`signing in as ${admin.email} failed: ${response.status} ${await response.text()}`);
  }
  const { user } = (await response.json()) as { user: { token: string } };
  // Every 997th visible article: about a hundred, spread from oldest to newest.
  const slugRows = await sql<{ slug: string }[]>`
    select slug from articles where moderation = 'visible' and id % 997 = 0 order by id`;
  const tagRows = await sql<{ name: string }[]>`
    select t.name from tags t join article_tags at on at.tag_id = t.id
    group by t.id, t.name order by count(*) desc, t.name limit 10`;
  if (slugRows.length === 0 || tagRows.length === 0) throw new Error("the bench database has no articles or tags");
  const userRows = await sql<{ username: string; email: string }[]>`
    select username, email from users where status = 'active' and id % 97 = 0 order by id limit 100`;
  const list = await fetch(`${baseUrl}/api/articles?limit=${LIMIT}`, { headers: { "accept-encoding": "identity" } });
  await list.body?.cancel();
  // Null also when the list failed (a 503 on a starved machine): scenario 11 then says so instead of running.
  const listEtag = list.status === 200 ? list.headers.get("etag") : null;
  return {
    token: user.token,
    slugs: slugRows.map((row) => row.slug),
    tags: tagRows.map((row) => row.name),
    usernames: userRows.map((row) => row.username),
    signInEmails: userRows.map((row) => row.email),
    listEtag,
  };
}
