import { html } from "../html.ts";
import type { LinkBuilder } from "../links.ts";
import type { RenderedEmail } from "../message.ts";
import { layout } from "./layout.ts";

export interface Invitation {
  to: string;
  username: string;
  token: string;
  /** The operator who invited them, named in the email so the reader knows why it came. */
  invitedBy: string;
}

/** The link an invited person opens to choose their first password (`/accept-invite`). */
export function invitationMessage(links: LinkBuilder, data: Invitation): RenderedEmail {
  const link = links.to("/accept-invite", { token: data.token });
  const subject = "You are invited to Inkwell";
  const why = `${data.invitedBy} created an Inkwell account for you, with the username "${data.username}".`;
  const text = [
    `Hi ${data.username},`,
    "",
    why,
    "",
    `Choose your password within 7 days: ${link}`,
    "",
    "--",
    "If you did not expect this, ignore this email: nobody can sign in to the account until a password is chosen.",
    "",
  ].join("\n");
  const body = html`
    <p style="margin:0 0 16px">Hi ${data.username},</p>
    <p style="margin:0 0 16px">${why}</p>
    <p style="margin:0 0 16px"><a href="${link}" style="color:#2563eb">Choose your password</a> (the link works for 7 days, once).</p>`;
  const footer = html`If you did not expect this, ignore this email: nobody can sign in to the account until a password is chosen.`;
  return { to: data.to, subject, text, html: layout({ title: subject, body, footer }), template: "invitation" };
}
