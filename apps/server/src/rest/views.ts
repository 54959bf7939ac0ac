import type { RouterOutputs } from "@inkwell/api";

type Profile = { username: string; bio: string | null; image: string | null; following: boolean };
type Article = RouterOutputs["articles"]["list"]["articles"][number] & { body?: string };
type Comment = RouterOutputs["comments"]["list"]["comments"][number];
type Account = RouterOutputs["auth"]["me"]["user"];

/** The contract's shapes: exactly these keys, in this order, nothing internal (ids, moderation). */
export const userView = (user: Account, token: string) => ({
  email: user.email,
  token,
  username: user.username,
  bio: user.bio,
  image: user.image,
});

export const profileView = (profile: Profile) => ({
  username: profile.username,
  bio: profile.bio,
  image: profile.image,
  following: profile.following,
});

export const articleView = (article: Article) => ({
  slug: article.slug,
  title: article.title,
  description: article.description,
  ...(article.body === undefined ? {} : { body: article.body }),
  tagList: article.tagList,
  createdAt: article.createdAt,
  updatedAt: article.updatedAt,
  favorited: article.favorited,
  favoritesCount: article.favoritesCount,
  author: profileView(article.author),
});

export const commentView = (comment: Comment) => ({
  id: comment.id,
  createdAt: comment.createdAt,
  updatedAt: comment.updatedAt,
  body: comment.body,
  author: profileView(comment.author),
});
