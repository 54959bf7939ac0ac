import { describe, expect, it } from "vitest";
import { createLinkBuilder } from "../links.ts";
import { emailChangeNotice } from "./email-change-notice.ts";
import { passwordResetMessage } from "./password-reset.ts";
import { verifyEmailMessage } from "./verify-email.ts";

const links = createLinkBuilder(() => "https://inkwell.example.com/blog");
const token = "abcdefghijklmnopqrstuvwxyz234567";

describe("account email templates", () => {
  it("put the token link on the public URL (base path kept) in both parts", () => {
    const verify = verifyEmailMessage(links, { to: "a@example.com", username: "ada", token, change: false });
    const reset = passwordResetMessage(links, { to: "a@example.com", username: "ada", token, forced: false });
    expect(verify.text).toContain(`https://inkwell.example.com/blog/verify-email?token=${token}`);
    expect(verify.html).toContain(`href="https://inkwell.example.com/blog/verify-email?token=${token}"`);
    expect(reset.text).toContain(`https://inkwell.example.com/blog/reset-password?token=${token}`);
    expect(reset.html).toContain(`href="https://inkwell.example.com/blog/reset-password?token=${token}"`);
    expect([verify.template, reset.template]).toEqual(["email-verification", "password-reset"]);
  });

  it("say what happened: a change, a forced reset", () => {
    const change = verifyEmailMessage(links, { to: "new@example.com", username: "ada", token, change: true });
    expect(change).toMatchObject({
      subject: "Confirm your new email address for Inkwell",
      template: "email-change-verification",
    });
    const forced = passwordResetMessage(links, { to: "a@example.com", username: "ada", token, forced: true });
    expect(forced).toMatchObject({ subject: "Set a new password for Inkwell", template: "password-reset-required" });
    expect(forced.text).toContain("your old password no longer works");
  });

  it("escape the new address in the notice to the old one, and carry no token there", () => {
    const notice = emailChangeNotice(links, {
      to: "old@example.com",
      username: "ada",
      newEmail: `"<script>x</script>"@example.com`,
    });
    expect(notice.html).not.toContain("<script>");
    expect(notice.html).toContain("&quot;&lt;script&gt;x&lt;/script&gt;&quot;@example.com");
    expect(notice.text).not.toContain("token=");
    expect(notice.html).toContain('href="https://inkwell.example.com/blog/account"');
  });
});
