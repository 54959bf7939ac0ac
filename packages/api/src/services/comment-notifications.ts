import type { Executor } from "@inkwell/db";
import type { LinkBuilder } from "../email/links.ts";
import { commentNotification } from "../email/templates/comment-notification.ts";
import { queueEmail } from "./email-outbox.ts";
import { JOB_PRIORITY } from "./jobs.ts";

/** The article commented on and its author, as `commentableArticle` reads them in the comment's transaction. */
export interface CommentedArticle {
  title: string;
  authorId: number;
  author: { username: string; email: string; notifyOnComment: boolean; status: string };
}

/**
 * Emails an article's author about a new comment, in `db`'s transaction (the
 * comment's): not for their own comments, not when they turned these emails
 * off (`notifyOnComment`), not to a suspended account. Returns whether an email was queued.
 */
export async function notifyAuthorOfComment(
  db: Executor,
  links: LinkBuilder,
  comment: { article: CommentedArticle; commenter: { id: number; username: string }; body: string },
): Promise<boolean> {
  const { article, commenter } = comment;
  if (article.authorId === commenter.id || !article.author.notifyOnComment || article.author.status !== "active") {
    return false;
  }
  await queueEmail(
    db,
    commentNotification(links, {
      to: article.author.email,
      authorName: article.author.username,
      commenterName: commenter.username,
      articleTitle: article.title,
      comment: comment.body,
    }),
    { priority: JOB_PRIORITY.bulk },
  );
  return true;
}
