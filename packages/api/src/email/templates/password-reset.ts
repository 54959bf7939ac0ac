import { html } from "../html.ts";
import type { LinkBuilder } from "../links.ts";
import type { RenderedEmail } from "../message.ts";
import { layout } from "./layout.ts";

export interface PasswordReset {
  to: string;
  username: string;
  token: string;
  /** An operator required it: the old password no longer works and every session has ended. */
  forced: boolean;
}

/** The link that sets a new password, asked for by the account's owner or required by an operator. */
export function passwordResetMessage(links: LinkBuilder, data: PasswordReset): RenderedEmail {
  const link = links.to("/reset-password", { token: data.token });
  const subject = data.forced ? "Set a new password for Inkwell" : "Reset your Inkwell password";
  const why = data.forced
    ? "An administrator has required a new password for your account: your old password no longer works and you have been signed out everywhere."
    : "Someone (hopefully you) asked to reset the password of your account.";
  const text = [
    `Hi ${data.username},`,
    "",
    why,
    "",
    `Choose a new password within one hour: ${link}`,
    "",
    "--",
    data.forced
      ? "After that hour, ask for a new link on the sign-in page (Forgot password?)."
      : "If you did not ask for this, ignore this email: your password stays as it is.",
    "",
  ].join("\n");
  const body = html`
    <p style="margin:0 0 16px">Hi ${data.username},</p>
    <p style="margin:0 0 16px">${why}</p>
    <p style="margin:0 0 16px"><a href="${link}" style="color:#2563eb">Choose a new password</a> (the link works for one hour, once).</p>`;
  const footer = data.forced
    ? html`After that hour, ask for a new link on the sign-in page (Forgot password?).`
    : html`If you did not ask for this, ignore this email: your password stays as it is.`;
  return {
    to: data.to,
    subject,
    text,
    html: layout({ title: subject, body, footer }),
    template: data.forced ? "password-reset-required" : "password-reset",
  };
}
