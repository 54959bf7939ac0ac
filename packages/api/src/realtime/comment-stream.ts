import { NotFound } from "../errors.ts";
import { isArticleReadable } from "../services/article-access.ts";
import type { AuditEventView } from "../services/audit-event-view.ts";
import { commentsAfter, latestCommentId, visibleComment } from "../services/comment-feed.ts";
import { assertStillAuthorized, concernsUser } from "./caller-guard.ts";
import { openResumableStream, REPLAY_LIMIT } from "./resumable-stream.ts";
import type { StreamContext } from "./stream-subscription.ts";

/** The comment id a successful `comments.add` on this article announces, else null. */
function newCommentOn(event: AuditEventView, articleId: number): number | null {
  const added =
    event.action === "comments.add" &&
    event.details.outcome === "success" &&
    event.details.articleId === articleId &&
    event.targetType === "comment";
  return added ? Number(event.targetId) : null;
}

/** Moderation and author actions name their articles in the target id, several joined by commas. */
function concernsArticle(event: AuditEventView, articleId: number): boolean {
  return event.targetType === "article" && (event.targetId?.split(",").includes(String(articleId)) ?? false);
}

/** Ends the stream when the article is gone, or hidden from this caller, since it opened. */
async function assertStillReadable(ctx: StreamContext, articleId: number): Promise<void> {
  if (!(await isArticleReadable(ctx.db, ctx.principal, articleId))) {
    throw new NotFound("article", "This article was removed or hidden; its comment stream has stopped.");
  }
}

/** New visible comments on one article, live, for anyone who may read it. */
export function openCommentStream(
  ctx: StreamContext,
  articleId: number,
  options: { lastEventId?: number; signal?: AbortSignal },
) {
  const viewerId = ctx.principal?.user.id ?? null;
  return openResumableStream(
    ctx,
    {
      latestId: () => latestCommentId(ctx.db, articleId),
      replay: (afterId) => commentsAfter(ctx.db, viewerId, articleId, afterId, REPLAY_LIMIT),
      async pick(event) {
        const commentId = newCommentOn(event, articleId);
        return commentId === null ? null : visibleComment(ctx.db, viewerId, articleId, commentId);
      },
      idOf: (comment) => comment.id,
      async check(event) {
        if (viewerId !== null && (!event || concernsUser(event, viewerId))) await assertStillAuthorized(ctx, []);
        if (!event || concernsArticle(event, articleId)) await assertStillReadable(ctx, articleId);
      },
    },
    options,
  );
}
