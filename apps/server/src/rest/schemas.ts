import { z } from "zod";
import type { ZodOpenApiOverrideMetaContext } from "zod-openapi";

/**
 * What the REST facade answers, as zod schemas: the document is generated from
 * them, the views are typed by them, and the contract tests check every
 * response body against the generated document. Names follow the RealWorld
 * specification's components. Objects are closed (no other keys), so nothing
 * internal (ids, moderation state) can leak unnoticed.
 */

const timestamp = z.iso.datetime().meta({
  description: "ISO 8601, UTC",
  // zod spells out the date-time pattern; the format says the same in one word.
  override: ({ jsonSchema }: ZodOpenApiOverrideMetaContext) => {
    delete jsonSchema.pattern;
  },
});

export const profileSchema = z
  .object({
    username: z.string(),
    bio: z.string().nullable(),
    image: z.string().nullable(),
    following: z.boolean(),
  })
  .meta({ id: "Profile" });

export const userSchema = z
  .object({
    email: z.string(),
    token: z.string().meta({ description: "The token this user authenticates with: `Authorization: Token <token>`" }),
    username: z.string(),
    bio: z.string().nullable(),
    image: z.string().nullable(),
  })
  .meta({ id: "User" });

const articleSummaryFields = {
  slug: z.string(),
  title: z.string(),
  description: z.string(),
  tagList: z.array(z.string()).meta({ description: "Sorted alphabetically" }),
  createdAt: timestamp,
  updatedAt: timestamp,
  favorited: z.boolean(),
  favoritesCount: z.int().min(0),
  author: profileSchema,
};

export const articleSchema = z.object({ ...articleSummaryFields, body: z.string() }).meta({ id: "Article" });

/** Lists leave the body out. */
export const articleListItemSchema = z.object(articleSummaryFields).meta({ id: "ArticleListItem" });

export const commentSchema = z
  .object({
    id: z.int().positive(),
    createdAt: timestamp,
    updatedAt: timestamp,
    body: z.string(),
    author: profileSchema,
  })
  .meta({ id: "Comment" });

/** RealWorld's error body: messages by field, e.g. `{"errors":{"email":["can't be blank"]}}`. */
export const genericErrorSchema = z
  .object({ errors: z.record(z.string(), z.array(z.string())) })
  .meta({ id: "GenericErrorModel" });

/** What the server's own guards answer before a request reaches the REST routes (rate limit, body size). */
export const plainErrorSchema = z
  .object({ error: z.string(), requestId: z.string().optional() })
  .meta({ id: "PlainError" });

export type UserBody = z.output<typeof userSchema>;
export type ProfileBody = z.output<typeof profileSchema>;
export type ArticleBody = z.output<typeof articleSchema>;
export type ArticleListItemBody = z.output<typeof articleListItemSchema>;
export type CommentBody = z.output<typeof commentSchema>;
