import { html } from "../html.ts";
import type { LinkBuilder } from "../links.ts";
import { oneLine, type RenderedEmail } from "../message.ts";
import { layout } from "./layout.ts";

export interface CommentNotification {
  to: string;
  authorName: string;
  commenterName: string;
  articleTitle: string;
  comment: string;
}

/** Longer comments are cut here; the article has the rest. */
const EXCERPT_CHARACTERS = 1_000;

function excerpt(text: string): string {
  return text.length > EXCERPT_CHARACTERS ? `${text.slice(0, EXCERPT_CHARACTERS)}…` : text;
}

/** To an article's author, when someone else comments on it. */
export function commentNotification(links: LinkBuilder, data: CommentNotification): RenderedEmail {
  const subject = oneLine(`${data.commenterName} commented on “${data.articleTitle}”`);
  const quoted = excerpt(data.comment);
  const settings = links.accountSettings();
  const text = [
    `Hi ${data.authorName},`,
    "",
    `${data.commenterName} commented on your article “${oneLine(data.articleTitle)}”:`,
    "",
    ...quoted.split(/\r?\n/).map((line) => `> ${line}`),
    "",
    "--",
    `You get this email because someone commented on your article. Turn these emails off: ${settings}`,
    "",
  ].join("\n");
  const body = html`
    <p style="margin:0 0 16px">Hi ${data.authorName},</p>
    <p style="margin:0 0 16px"><strong>${data.commenterName}</strong> commented on your article
      “${data.articleTitle}”:</p>
    <blockquote style="margin:0;padding:8px 16px;border-left:4px solid #d0d7de;color:#374151;white-space:pre-wrap">${quoted}</blockquote>`;
  const footer = html`You get this email because someone commented on your article.
    <a href="${settings}" style="color:#2563eb">Turn these emails off</a>.`;
  return {
    to: data.to,
    subject,
    text,
    html: layout({ title: subject, body, footer }),
    template: "comment-notification",
  };
}
