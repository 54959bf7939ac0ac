import { html } from "../html.ts";
import type { LinkBuilder } from "../links.ts";
import type { RenderedEmail } from "../message.ts";
import { layout } from "./layout.ts";

export interface VerifyEmail {
  to: string;
  username: string;
  token: string;
  /** The address is to replace the account's current one (an email change), rather than prove the one it has. */
  change: boolean;
}

/** The link that proves the reader gets mail at `to`: after sign-up, on request, or for a new address. */
export function verifyEmailMessage(links: LinkBuilder, data: VerifyEmail): RenderedEmail {
  const link = links.to("/verify-email", { token: data.token });
  const subject = data.change ? "Confirm your new email address for Inkwell" : "Confirm your email address for Inkwell";
  const why = data.change
    ? `You asked to use this address for your Inkwell account "${data.username}". It replaces the current one once you confirm it.`
    : `Confirm that this address belongs to your Inkwell account "${data.username}".`;
  const text = [
    `Hi ${data.username},`,
    "",
    why,
    "",
    `Open this link within 48 hours: ${link}`,
    "",
    "--",
    "If you did not ask for this, ignore this email: nothing changes.",
    "",
  ].join("\n");
  const body = html`
    <p style="margin:0 0 16px">Hi ${data.username},</p>
    <p style="margin:0 0 16px">${why}</p>
    <p style="margin:0 0 16px"><a href="${link}" style="color:#2563eb">Confirm this address</a> (the link works for 48 hours, once).</p>`;
  return {
    to: data.to,
    subject,
    text,
    html: layout({
      title: subject,
      body,
      footer: html`If you did not ask for this, ignore this email: nothing changes.`,
    }),
    template: data.change ? "email-change-verification" : "email-verification",
  };
}
