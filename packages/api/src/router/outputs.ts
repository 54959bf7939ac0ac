import { moderationStates, permissions, roles, userStatuses } from "@inkwell/auth";
import { z } from "zod";

/**
 * What procedures answer, as zod schemas given to `.output()`: the contract
 * other apps rely on. tRPC checks every answer against them (a field the
 * schema lacks is dropped, never leaked; a wrong type is a bug, answered 500),
 * the published OpenAPI document of /api/rpc is generated from them, and
 * `RouterOutputs` is their type (docs/decisions/013-operator-procedures-over-http.md).
 *
 * Ids name the document's components. Values stored as free text (API key
 * scopes, audit actions) stay strings here: a value an older release stored
 * must not turn a read into a failure.
 */

/** A point in time: a `Date` through tRPC, an ISO 8601 string in JSON. */
const time = z.date();
const count = z.int().min(0);
const id = z.int().positive();

export const profileOutput = z
  .object({
    username: z.string(),
    bio: z.string().nullable(),
    image: z.string().nullable(),
    following: z.boolean().meta({ description: "Whether the caller follows them (false when anonymous)" }),
  })
  .meta({ id: "Profile" });

/** What a user sees of their own account. */
export const accountOutput = z
  .object({
    id,
    email: z.string(),
    username: z.string(),
    bio: z.string().nullable(),
    image: z.string().nullable(),
    role: z.enum(roles),
    status: z.enum(userStatuses),
    notifyOnComment: z.boolean().meta({ description: "Emails about comments on their articles" }),
    emailVerified: z.boolean().meta({ description: "They opened the link emailed to their current address" }),
    passwordChangeRequired: z.boolean().meta({
      description: "An operator whose password is on the breached list: they act as a plain user until they change it",
    }),
    twoFactorEnabled: z.boolean(),
    twoFactorEnrolmentRequired: z.boolean().meta({
      description:
        "Their role requires two-factor sign-in and it is off: they hold no permission until they turn it on",
    }),
    createdAt: time,
    updatedAt: time,
  })
  .meta({ id: "Account" });

/** `auth.updateProfile`'s answer: the account, and the address waiting for its link to be opened, if any. */
export const updatedAccountOutput = accountOutput.extend({
  pendingEmail: z
    .string()
    .nullable()
    .meta({ description: "A new address that becomes the account's when the link sent to it is opened" }),
});

const articleSummaryFields = {
  id,
  slug: z.string(),
  title: z.string(),
  description: z.string(),
  moderation: z.enum(moderationStates),
  createdAt: time,
  updatedAt: time,
  tagList: z.array(z.string()).meta({ description: "Sorted alphabetically" }),
  favoritesCount: count,
  favorited: z.boolean().meta({ description: "Whether the caller favorited it (false when anonymous)" }),
  author: profileOutput,
};

export const articleOutput = z.object({ ...articleSummaryFields, body: z.string() }).meta({ id: "Article" });

const nextCursor = z
  .string()
  .nullable()
  .meta({ description: "Pass it as `cursor` for the next page; null on the last page" });

export const articlePageOutput = z
  .object({
    articles: z.array(
      z
        .object({ ...articleSummaryFields, body: z.string().optional().meta({ description: "With `includeBody`" }) })
        .meta({ id: "ArticleListItem" }),
    ),
    articlesCount: count.meta({ description: "How many match, over all pages" }),
    nextCursor,
  })
  .meta({ id: "ArticlePage" });

export const commentOutput = z
  .object({ id, body: z.string(), createdAt: time, updatedAt: time, author: profileOutput })
  .meta({ id: "Comment" });

export const commentPageOutput = z.object({ comments: z.array(commentOutput), nextCursor }).meta({ id: "CommentPage" });

export const tagOutput = z.object({ id, name: z.string() }).meta({ id: "Tag" });

export const tagListOutput = z.array(
  z.object({ id, name: z.string(), articleCount: count }).meta({ id: "TagWithCount" }),
);

export const apiKeyOutput = z
  .object({
    id,
    name: z.string(),
    prefix: z.string().meta({ description: "The key's public part, `ink_<id>`; the secret is never shown again" }),
    scopes: z.array(z.string()).meta({ description: "Permissions the key may use (those its owner still holds)" }),
    expiresAt: time.nullable(),
    lastUsedAt: time.nullable().meta({ description: "Updated at most once a minute" }),
    revokedAt: time.nullable(),
    createdAt: time,
  })
  .meta({ id: "ApiKey" });

/** A session token's expiry, and the token when it was asked for (`session: "token"`). */
const openedSession = {
  user: accountOutput,
  expiresAt: time,
  token: z.string().optional().meta({ description: 'The session token, with `session: "token"`' }),
};

export const signUpOutput = z.object(openedSession).meta({ id: "SignedUp" });

const signedInOutput = z.object({ twoFactorRequired: z.literal(false), ...openedSession }).meta({ id: "SignedIn" });

export const signInOutput = z.discriminatedUnion("twoFactorRequired", [
  signedInOutput,
  z
    .object({
      twoFactorRequired: z.literal(true),
      challenge: z.string().meta({ description: "Pass it to auth.signIn2fa with a code; valid for 5 minutes" }),
      expiresAt: time,
      // No session yet, so never a token: typed here so `result.token` reads the same on both branches.
      token: z.never().optional(),
    })
    .meta({ id: "TwoFactorChallenge" }),
]);

export const signIn2faOutput = signedInOutput;

export const meOutput = z
  .object({
    user: accountOutput,
    permissions: z
      .array(z.enum(permissions))
      .readonly()
      .meta({ description: "What the caller may do now, with this credential" }),
    credential: z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("session"), sessionId: z.string(), expiresAt: time }),
      z.object({ kind: z.literal("apiKey"), apiKeyId: id, name: z.string(), prefix: z.string() }),
    ]),
  })
  .meta({ id: "Me" });

export const deletedArticleOutput = z
  .object({ deleted: z.string().meta({ description: "The slug of the deleted article" }) })
  .meta({ id: "DeletedArticle" });

export const deletedCommentOutput = z
  .object({ deleted: id.meta({ description: "The id of the deleted comment" }) })
  .meta({ id: "DeletedComment" });
