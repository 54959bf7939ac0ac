import { describe, expect, it } from "vitest";
import { safeImageUrl } from "./safe-image-url.ts";

describe("safeImageUrl", () => {
  it.each([
    ["https://images.example.com/a.png", "https://images.example.com/a.png"],
    ["http://127.0.0.1:3000/avatar.svg?size=64#x", "http://127.0.0.1:3000/avatar.svg?size=64#x"],
    ["HTTPS://Example.COM/A.png", "https://example.com/A.png"],
    // What is rendered is the parsed URL: no quotes or angle brackets survive to the attribute.
    ['https://example.com/a"onerror="alert(1).png', "https://example.com/a%22onerror=%22alert(1).png"],
  ])("renders the absolute http(s) URL %j as %j", (value, rendered) => {
    expect(safeImageUrl(value)).toBe(rendered);
  });

  it.each([
    ["javascript:", "javascript:alert(1)"],
    ["mixed-case javascript:", "JaVaScRiPt:alert(1)"],
    ["space-prefixed javascript:", " javascript:alert(1)"],
    ["tab-prefixed javascript:", "\tjavascript:alert(1)"],
    ["newline-prefixed javascript:", "\njavascript:alert(1)"],
    ["NUL-prefixed javascript:", "\u0000javascript:alert(1)"],
    ["javascript: split by a tab", "java\tscript:alert(1)"],
    ["javascript: split by a newline", "java\nscript:alert(1)"],
    ["javascript: with a zero-width space", "\u200bjavascript:alert(1)"],
    ["non-breaking-space-prefixed javascript:", "\u00a0javascript:alert(1)"],
    ["percent-encoded javascript: scheme", "%6aavascript:alert(1)"],
    ["entity-encoded javascript:", "&#106;avascript:alert(1)"],
    ["vbscript:", "vbscript:msgbox(1)"],
    ["data: SVG", "data:image/svg+xml,<svg onload=alert(1)>"],
    ["data: PNG", "data:image/png;base64,iVBORw0KGgo="],
    ["blob:", "blob:https://example.com/0b2f7c1e-7b1a-4b5e-9d7e-0c9f6c4b8f1a"],
    ["file:", "file:///etc/passwd"],
    ["ftp:", "ftp://example.com/a.png"],
    ["whitespace-prefixed https:", " https://example.com/a.png"],
    ["whitespace-suffixed https:", "https://example.com/a.png "],
    ["https: with an inner space", "https://example.com/a b.png"],
    ["relative path", "/uploads/a.png"],
    ["relative file name", "a.png"],
    ["scheme-relative", "//evil.example/a.png"],
    ["http without host", "http:"],
    ["https with an empty host", "https://"],
    ["invalid port", "https://example.com:99999/a.png"],
    ["invalid host", "https://exa mple.com/a.png"],
    ["empty string", ""],
    ["whitespace only", "   "],
    ["over 2048 characters", `https://example.com/${"a".repeat(2048)}`],
  ])("refuses a %s URL", (_, value) => {
    expect(safeImageUrl(value)).toBeNull();
  });

  it("refuses null and undefined", () => {
    expect(safeImageUrl(null)).toBeNull();
    expect(safeImageUrl(undefined)).toBeNull();
  });
});
