import { count, type Executor, type Placeholder, type SQL, schema, sql } from "@inkwell/db";
import { afterCursor, allOf, newestFirst, selectArticles, visible } from "./article-views.ts";
import { type Cursor, encodeCursor } from "./cursor.ts";
import { preparedPerDatabase } from "./prepared.ts";
import { usernameMatches, type ViewerId } from "./profiles.ts";

const a = schema.articles;

/** Which articles a list holds: those with a tag, by an author, or favorited by someone (all that are given). */
export interface ArticleFilter {
  tag?: string;
  author?: string;
  favoritedBy?: string;
}

/** A page: by offset (RealWorld), or after a keyset cursor (then the offset is ignored). */
export interface ArticleWindow {
  limit: number;
  offset: number;
  cursor?: Cursor;
  includeBody?: boolean;
}

const matching = {
  tag: (tag: string) =>
    sql`${a.id} in (select ${schema.articleTags.articleId} from ${schema.articleTags}
        join ${schema.tags} on ${schema.tags.id} = ${schema.articleTags.tagId} where ${schema.tags.name} = ${tag})`,
  author: (username: string) =>
    sql`${a.authorId} = (select ${schema.users.id} from ${schema.users} where ${usernameMatches(username)})`,
  favoritedBy: (username: string) =>
    sql`${a.id} in (select ${schema.favorites.articleId} from ${schema.favorites}
        where ${schema.favorites.userId} = (select ${schema.users.id} from ${schema.users} where ${usernameMatches(username)}))`,
  followedBy: (userId: number | Placeholder<"viewerId">) =>
    sql`${a.authorId} in (select ${schema.follows.followingId} from ${schema.follows} where ${schema.follows.followerId} = ${userId})`,
};

const visibleTotal = (db: Executor) => db.select({ n: schema.articleCounts.visible }).from(schema.articleCounts);
const newestPage = (db: Executor, viewerId: ViewerId) =>
  selectArticles(db, viewerId, { withBody: false })
    .where(visible())
    .orderBy(...newestFirst)
    .limit(sql.placeholder("limit"))
    .offset(sql.placeholder("offset"));

// The home page of every reader (the unfiltered list by offset, without bodies), as named prepared statements.
const unfiltered = {
  total: preparedPerDatabase((db) => visibleTotal(db).prepare("visible_article_total")),
  anonymous: preparedPerDatabase((db) => newestPage(db, null).prepare("newest_articles")),
  viewer: preparedPerDatabase((db) => newestPage(db, sql.placeholder("viewerId")).prepare("newest_articles_as_viewer")),
};

// The signed-in reader's feed by offset (RealWorld's `GET /api/articles/feed`): its page and its count.
const viewerParameter: Placeholder<"viewerId"> = sql.placeholder("viewerId");
const feedFilter = () => allOf(visible(), matching.followedBy(viewerParameter));
const feed = {
  total: preparedPerDatabase((db) =>
    db.select({ n: count() }).from(a).where(feedFilter()).prepare("feed_article_total"),
  ),
  viewer: preparedPerDatabase((db) =>
    selectArticles(db, viewerParameter, { withBody: false })
      .where(feedFilter())
      .orderBy(...newestFirst)
      .limit(sql.placeholder("limit"))
      .offset(sql.placeholder("offset"))
      .prepare("feed_articles"),
  ),
};

/** A page by offset of one of the prepared shapes, or null where they do not apply (a cursor, bodies, a transaction). */
async function preparedPage(db: Executor, viewerId: number | null, shape: "newest" | "feed", window: ArticleWindow) {
  if (window.cursor || window.includeBody) return null;
  const total = (shape === "feed" ? feed.total : unfiltered.total)(db);
  const page = (shape === "feed" ? feed.viewer : viewerId === null ? unfiltered.anonymous : unfiltered.viewer)(db);
  if (!total || !page) return null;
  const [rows, [count]] = await Promise.all([
    page.execute({ limit: window.limit, offset: window.offset, viewerId }),
    total.execute({ viewerId }),
  ]);
  return { rows, total: count };
}

/**
 * One page of visible articles matching `where`, newest first, with the total
 * matching: two statements (page and count) run side by side, whatever the page size.
 * `prepared` names the fixed shape `where` has, if it is one of those kept prepared.
 */
async function articlePage(
  db: Executor,
  viewerId: number | null,
  where: SQL | undefined,
  window: ArticleWindow,
  prepared?: "newest" | "feed",
) {
  const { cursor } = window;
  const fromPrepared = prepared ? await preparedPage(db, viewerId, prepared, window) : null;
  if (fromPrepared) return pageOf(fromPrepared.rows, fromPrepared.total?.n ?? 0, window);
  const filter = allOf(visible(), where);
  // Unfiltered, the total is the trigger-kept counter: counting ~100k rows per page view was most of the cost.
  const totalQuery = where ? db.select({ n: count() }).from(a).where(filter) : visibleTotal(db);
  const [rows, [total]] = await Promise.all([
    selectArticles(db, viewerId, { withBody: window.includeBody ?? false })
      .where(allOf(filter, cursor ? afterCursor(cursor) : undefined))
      .orderBy(...newestFirst)
      .limit(window.limit)
      .offset(cursor ? 0 : window.offset),
    totalQuery,
  ]);
  return pageOf(rows, total?.n ?? 0, window);
}

function pageOf<Row extends { createdAt: Date; id: number }>(rows: Row[], total: number, window: ArticleWindow) {
  const last = rows.at(-1);
  return {
    articles: rows,
    articlesCount: total,
    nextCursor: last && rows.length === window.limit ? encodeCursor(last) : null,
  };
}

/** Visible articles matching `filter`, newest first, as `viewerId` (null: anonymous) sees them. */
export function listArticles(db: Executor, viewerId: number | null, filter: ArticleFilter, window: ArticleWindow) {
  const where = allOf(
    filter.tag ? matching.tag(filter.tag) : undefined,
    filter.author ? matching.author(filter.author) : undefined,
    filter.favoritedBy ? matching.favoritedBy(filter.favoritedBy) : undefined,
  );
  return articlePage(db, viewerId, where, window, where ? undefined : "newest");
}

/** Visible articles by the authors `userId` follows, newest first. */
export function articleFeed(db: Executor, userId: number, window: ArticleWindow) {
  return articlePage(db, userId, matching.followedBy(userId), window, "feed");
}
