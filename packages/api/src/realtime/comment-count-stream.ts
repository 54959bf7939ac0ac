import type { AuditEventView } from "../services/audit-event-view.ts";
import { commentCounts } from "../services/comment-feed.ts";
import { assertStillAuthorized, concernsUser } from "./caller-guard.ts";
import type { HubSubscription } from "./hub-subscription.ts";
import { type StreamContext, subscribeToHub } from "./stream-subscription.ts";

type CommentCount = Awaited<ReturnType<typeof commentCounts>>[number];

/** Whether an event may change how many comments one of these articles has. */
function mayChangeCounts(event: AuditEventView, articleIds: readonly number[]): boolean {
  if (event.action === "comments.add") return articleIds.includes(event.details.articleId as number);
  // Deleting a comment names only the comment; deleting a user deletes their comments too.
  return (event.targetType === "comment" && event.action.endsWith(".delete")) || event.action === "users.delete";
}

/**
 * Comment counts of the articles an operator has on screen: all of them
 * first, then the ones that change. Counts are state, not events: a
 * reconnecting client just receives them anew. Starts when called.
 */
export function openCommentCountStream(
  ctx: StreamContext & { user: { id: number } },
  articleIds: readonly number[],
  signal?: AbortSignal,
): AsyncGenerator<CommentCount[]> {
  return countChanges(ctx, subscribeToHub(ctx, signal), articleIds);
}

async function* countChanges(
  ctx: StreamContext & { user: { id: number } },
  subscription: HubSubscription<AuditEventView>,
  articleIds: readonly number[],
): AsyncGenerator<CommentCount[]> {
  const sent = new Map<number, number>();
  async function changedCounts(): Promise<CommentCount[]> {
    const counts = await commentCounts(ctx.db, articleIds);
    const changed = counts.filter((count) => sent.get(count.articleId) !== count.commentsCount);
    for (const count of changed) sent.set(count.articleId, count.commentsCount);
    return changed;
  }

  try {
    yield await changedCounts();
    for await (const message of subscription) {
      const event = message.kind === "event" ? message.event : null;
      if (!event || concernsUser(event, ctx.user.id)) await assertStillAuthorized(ctx, ["content:moderate"]);
      if (message.kind === "recheck" || (event && !mayChangeCounts(event, articleIds))) continue;
      const changed = await changedCounts();
      if (changed.length > 0) yield changed;
    }
  } finally {
    subscription.end();
  }
}
