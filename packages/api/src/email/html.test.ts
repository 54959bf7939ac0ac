import { describe, expect, it } from "vitest";
import { html, SafeHtml } from "./html.ts";

describe("html", () => {
  it("escapes every interpolated value: markup, quotes and ampersands become text", () => {
    const hostile = `<script>alert("x")</script><img src=x onerror='y'> & &amp;`;
    expect(html`<p>${hostile}</p>`.markup).toBe(
      "<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=&#39;y&#39;&gt; &amp; &amp;amp;</p>",
    );
  });

  it("keeps a value inside a double-quoted attribute from leaving it", () => {
    const value = `" onmouseover="steal()`;
    expect(html`<a title="${value}">x</a>`.markup).toBe('<a title="&quot; onmouseover=&quot;steal()">x</a>');
  });

  it("inserts nested templates as markup, once, while escaping what they interpolate", () => {
    const inner = html`<b>${"<i>"}</b>`;
    expect(html`<p>${inner}</p>`.markup).toBe("<p><b>&lt;i&gt;</b></p>");
    // A string that merely looks like markup is still text.
    expect(html`<p>${"<b>x</b>"}</p>`.markup).toBe("<p>&lt;b&gt;x&lt;/b&gt;</p>");
  });

  it("joins arrays and renders null, undefined and false as nothing, numbers and true as text", () => {
    expect(html`${["<", html`<br>`, ">"]}|${null}|${undefined}|${false}|${0}|${true}`.markup).toBe(
      "&lt;<br>&gt;||||0|true",
    );
  });

  it("is a SafeHtml that prints as its markup", () => {
    const fragment = html`<em>${"a&b"}</em>`;
    expect(fragment).toBeInstanceOf(SafeHtml);
    expect(String(fragment)).toBe("<em>a&amp;b</em>");
  });
});
