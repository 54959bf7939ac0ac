/** The filters of the moderation tables as SQL, shared by their lists and their "every matching" bulk actions. */
import { and, eq, gte, ilike, inArray, lte, type SQL, schema, sql } from "@inkwell/db";
import { containsPattern } from "./paging.ts";

const { articles, comments, users, tags, articleTags } = schema;

/** What articles or comments are narrowed by; every field is optional and they combine with AND. */
export interface ContentFilter {
  state?: schema.ModerationState | undefined;
  /** Words in the title (articles) or body (comments). */
  search?: string | undefined;
  authorId?: number | undefined;
  /** The author's username, any case. */
  author?: string | undefined;
  /** A tag's exact name: articles carrying it, comments on such articles. */
  tag?: string | undefined;
  /** Written at or after. */
  createdFrom?: Date | undefined;
  /** Written at or before. */
  createdTo?: Date | undefined;
  /** Comments only: on this article. */
  articleId?: number | undefined;
}

/**
 * The user with this username, as a scalar subquery: no such user gives NULL,
 * which matches nothing. `lower()` matches the unique index on usernames.
 */
const userIdByName = (username: string) =>
  sql`(select ${users.id} from ${users} where lower(${users.username}) = lower(${username}))`;

/** Ids of the articles carrying the tag (none when there is no such tag). */
const articleIdsTagged = (tag: string) =>
  sql`(select ${articleTags.articleId} from ${articleTags} where ${articleTags.tagId} = (select ${tags.id} from ${tags} where ${tags.name} = ${tag}))`;

export function articleFilterWhere(filter: ContentFilter): SQL | undefined {
  return and(
    filter.state ? eq(articles.moderation, filter.state) : undefined,
    filter.search ? ilike(articles.title, containsPattern(filter.search)) : undefined,
    filter.authorId ? eq(articles.authorId, filter.authorId) : undefined,
    filter.author ? eq(articles.authorId, userIdByName(filter.author)) : undefined,
    filter.tag ? inArray(articles.id, articleIdsTagged(filter.tag)) : undefined,
    filter.createdFrom ? gte(articles.createdAt, filter.createdFrom) : undefined,
    filter.createdTo ? lte(articles.createdAt, filter.createdTo) : undefined,
  );
}

export function commentFilterWhere(filter: ContentFilter): SQL | undefined {
  return and(
    filter.state ? eq(comments.moderation, filter.state) : undefined,
    filter.search ? ilike(comments.body, containsPattern(filter.search)) : undefined,
    filter.articleId ? eq(comments.articleId, filter.articleId) : undefined,
    filter.authorId ? eq(comments.authorId, filter.authorId) : undefined,
    filter.author ? eq(comments.authorId, userIdByName(filter.author)) : undefined,
    filter.tag ? inArray(comments.articleId, articleIdsTagged(filter.tag)) : undefined,
    filter.createdFrom ? gte(comments.createdAt, filter.createdFrom) : undefined,
    filter.createdTo ? lte(comments.createdAt, filter.createdTo) : undefined,
  );
}
