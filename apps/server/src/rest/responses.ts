import { z } from "zod";
import type { ZodOpenApiResponseObject, ZodOpenApiResponsesObject } from "zod-openapi";
import {
  articleListItemSchema,
  articleSchema,
  commentSchema,
  genericErrorSchema,
  plainErrorSchema,
  profileSchema,
  userSchema,
} from "./schemas.ts";

/** Named responses, as the RealWorld specification names them (components/responses in the document). */

const json = (id: string, description: string, schema: z.ZodType): ZodOpenApiResponseObject => ({
  id,
  description,
  content: { "application/json": { schema } },
});

export const ok = {
  user: json("UserResponse", "User", z.object({ user: userSchema })),
  profile: json("ProfileResponse", "Profile", z.object({ profile: profileSchema })),
  article: json("SingleArticleResponse", "Single article", z.object({ article: articleSchema })),
  articles: json(
    "MultipleArticlesResponse",
    "Multiple articles, newest first, without their bodies",
    z.object({
      articles: z.array(articleListItemSchema),
      articlesCount: z.int().min(0).meta({ description: "How many match, over all pages" }),
    }),
  ),
  comment: json("SingleCommentResponse", "Single comment", z.object({ comment: commentSchema })),
  comments: json("MultipleCommentsResponse", "Multiple comments", z.object({ comments: z.array(commentSchema) })),
  tags: json("TagsResponse", "Tags", z.object({ tags: z.array(z.string()) })),
  empty: { id: "EmptyOkResponse", description: "No content" } satisfies ZodOpenApiResponseObject,
};

const retryAfter = z.object({
  "Retry-After": z.string().meta({ description: "Seconds to wait before trying again" }),
});

const failure = (id: string, description: string, schema: z.ZodType = genericErrorSchema): ZodOpenApiResponseObject =>
  json(id, description, schema);

/** Error answers by status; each operation lists those it can give (`errorsFor`). */
export const errors = {
  401: failure(
    "Unauthorized",
    'No valid token: `{"errors":{"token":["is missing"]}}`; for sign-in, `credentials: ["invalid"]`',
  ),
  403: failure(
    "Forbidden",
    "Not allowed: someone else's article or comment, a suspended account, or an API key without the scope. The error key names the resource",
  ),
  404: failure("NotFound", 'Not found. The error key names the resource: `{"errors":{"article":["not found"]}}`'),
  409: failure("ConflictError", 'Already taken: `{"errors":{"username":["has already been taken"]}}`'),
  413: failure("PayloadTooLarge", "The request body is larger than the server accepts", plainErrorSchema),
  415: failure(
    "UnsupportedMediaType",
    'A body not sent as application/json: `{"errors":{"body":["must be sent as application/json"]}}`',
  ),
  422: failure("GenericError", 'Invalid input, by field: `{"errors":{"title":["can\'t be blank"]}}`'),
  429: {
    ...failure(
      "TooManyRequests",
      "Too many requests (the server's rate limit), or too many failed sign-ins: retry after Retry-After seconds",
      z.union([genericErrorSchema, plainErrorSchema]),
    ),
    headers: retryAfter,
  },
  503: failure(
    "ServiceUnavailable",
    "The database is unreachable, or undid the request for a concurrent change (nothing was saved); retry later",
    z.union([genericErrorSchema, plainErrorSchema]),
  ),
} satisfies Record<number, ZodOpenApiResponseObject>;

export type ErrorStatus = keyof typeof errors;

export function errorsFor(statuses: readonly ErrorStatus[]): ZodOpenApiResponsesObject {
  return Object.fromEntries(statuses.map((status) => [status, errors[status]]));
}
