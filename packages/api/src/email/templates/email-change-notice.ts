import { html } from "../html.ts";
import type { LinkBuilder } from "../links.ts";
import type { RenderedEmail } from "../message.ts";
import { layout } from "./layout.ts";

export interface EmailChangeNotice {
  /** The account's current address, which stays until the new one is confirmed. */
  to: string;
  username: string;
  newEmail: string;
}

/** To the old address when someone asks to move the account to another one. */
export function emailChangeNotice(links: LinkBuilder, data: EmailChangeNotice): RenderedEmail {
  const subject = "Your Inkwell email address is about to change";
  const account = links.accountSettings();
  const text = [
    `Hi ${data.username},`,
    "",
    `Someone signed in to your Inkwell account asked to change its email address to ${data.newEmail}.`,
    "The change takes effect only when the link sent to that address is opened; until then this address stays.",
    "",
    `If this was not you, change your password now and sign out your other sessions: ${account}`,
    "",
  ].join("\n");
  const body = html`
    <p style="margin:0 0 16px">Hi ${data.username},</p>
    <p style="margin:0 0 16px">Someone signed in to your Inkwell account asked to change its email address to
      <strong>${data.newEmail}</strong>. The change takes effect only when the link sent to that address is
      opened; until then this address stays.</p>
    <p style="margin:0 0 16px">If this was not you, <a href="${account}" style="color:#2563eb">change your password
      now and sign out your other sessions</a>.</p>`;
  return {
    to: data.to,
    subject,
    text,
    html: layout({
      title: subject,
      body,
      footer: html`A security notice about your account; it cannot be turned off.`,
    }),
    template: "email-change-notice",
  };
}
