import { describe, expect, it } from "vitest";
import { createLinkBuilder } from "../links.ts";
import { commentNotification } from "./comment-notification.ts";

const links = createLinkBuilder(() => "https://inkwell.example.com");

describe("commentNotification", () => {
  it("renders a text and an HTML part with the comment, the names and the opt-out link", () => {
    const email = commentNotification(links, {
      to: "ada@example.com",
      authorName: "ada",
      commenterName: "grace",
      articleTitle: "Compilers",
      comment: "Lovely.\nSecond line.",
    });
    expect(email).toMatchObject({
      to: "ada@example.com",
      subject: "grace commented on “Compilers”",
      template: "comment-notification",
    });
    expect(email.text).toContain("Hi ada,");
    expect(email.text).toContain("> Lovely.\n> Second line.");
    expect(email.text).toContain("Turn these emails off: https://inkwell.example.com/account");
    expect(email.html).toContain('<a href="https://inkwell.example.com/account"');
    expect(email.html).toContain("Lovely.\nSecond line.");
  });

  it("escapes user content in the HTML part and keeps the subject on one line", () => {
    const email = commentNotification(links, {
      to: "ada@example.com",
      authorName: `<b>ada</b>`,
      commenterName: `"><script>steal()</script>`,
      articleTitle: "Tags <img src=x onerror=alert(1)>\r\nBcc: victim@example.com",
      comment: `<a href="javascript:alert(1)">click</a> & more`,
    });
    expect(email.html).not.toMatch(/<script|<img|<a href="javascript|<b>ada/);
    expect(email.html).toContain("&lt;a href=&quot;javascript:alert(1)&quot;&gt;click&lt;/a&gt; &amp; more");
    expect(email.html).toContain("&quot;&gt;&lt;script&gt;steal()&lt;/script&gt;");
    expect(email.html).toContain("<title>&quot;&gt;&lt;script&gt;");
    // No header injection through the subject.
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.subject).toContain("Bcc: victim@example.com");
    // The text part is plain text: it carries the content as written.
    expect(email.text).toContain(`> <a href="javascript:alert(1)">click</a> & more`);
  });

  it("quotes at most 1,000 characters of a long comment", () => {
    const email = commentNotification(links, {
      to: "a@example.com",
      authorName: "a",
      commenterName: "b",
      articleTitle: "t",
      comment: "x".repeat(5_000),
    });
    expect(email.text).toContain(`> ${"x".repeat(1_000)}…`);
    expect(email.text).not.toContain("x".repeat(1_001));
  });
});
