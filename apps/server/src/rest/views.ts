import type { RouterOutputs } from "@inkwell/api";
import type { ArticleBody, ArticleListItemBody, CommentBody, ProfileBody, UserBody } from "./schemas.ts";

type Profile = { username: string; bio: string | null; image: string | null; following: boolean };
type Article = RouterOutputs["articles"]["list"]["articles"][number] & { body?: string };
type ArticleWithBody = Article & { body: string };
type Comment = RouterOutputs["comments"]["list"]["comments"][number];
type Account = RouterOutputs["auth"]["me"]["user"];

/** The contract's shapes (schemas.ts): exactly these keys, in this order, nothing internal (ids, moderation). */
export const userView = (user: Account, token: string): UserBody => ({
  email: user.email,
  token,
  username: user.username,
  bio: user.bio,
  image: user.image,
});

export const profileView = (profile: Profile): ProfileBody => ({
  username: profile.username,
  bio: profile.bio,
  image: profile.image,
  following: profile.following,
});

/** An article in a list: no body. */
export const articleListItemView = (article: Article): ArticleListItemBody => ({
  slug: article.slug,
  title: article.title,
  description: article.description,
  tagList: article.tagList,
  createdAt: article.createdAt.toISOString(),
  updatedAt: article.updatedAt.toISOString(),
  favorited: article.favorited,
  favoritesCount: article.favoritesCount,
  author: profileView(article.author),
});

/** One article: with its body, after the description as RealWorld orders the keys. */
export const articleView = (article: ArticleWithBody): ArticleBody => {
  const { slug, title, description, ...rest } = articleListItemView(article);
  return { slug, title, description, body: article.body, ...rest };
};

export const articleListView = (page: { articles: Article[]; articlesCount: number }) => ({
  articles: page.articles.map(articleListItemView),
  articlesCount: page.articlesCount,
});

export const commentView = (comment: Comment): CommentBody => ({
  id: comment.id,
  createdAt: comment.createdAt.toISOString(),
  updatedAt: comment.updatedAt.toISOString(),
  body: comment.body,
  author: profileView(comment.author),
});
