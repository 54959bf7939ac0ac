import { describe, expect, it } from "vitest";
import { avatarInitials, avatarSvg } from "./avatar-svg.ts";
import { avatarRoutes } from "./avatars.ts";

describe("/avatars/<name>.svg", () => {
  const app = avatarRoutes();

  it("draws the name's initials as an SVG the browser may cache", async () => {
    const response = await app.request("/avatars/ada-lovelace-12.svg");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("public, max-age=604800, immutable");
    expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; style-src 'unsafe-inline'");
    const svg = await response.text();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*>.*<\/svg>$/);
    expect(svg).toContain(">AL</text>");
    // The same name, the same picture.
    expect(await (await app.request("/avatars/ada-lovelace-12.svg")).text()).toBe(svg);
  });

  it.each([
    ["ada-lovelace-12", "AL"],
    ["admin", "A"],
    ["moderator", "M"],
    ["42-answers", "A"],
    ["42", "4"],
    ["x_y_z", "XY"],
  ])("takes the initials of %j as %j", (name, initials) => {
    expect(avatarInitials(name)).toBe(initials);
  });

  it.each([
    ["no .svg suffix", "/avatars/ada"],
    ["another suffix", "/avatars/ada.png"],
    ["markup in the name", `/avatars/${encodeURIComponent("<script>")}.svg`],
    ["a quote", `/avatars/${encodeURIComponent('a"onload=alert(1)')}.svg`],
    ["a NUL byte", "/avatars/a%00b.svg"],
    ["a path", "/avatars/..%2Fetc.svg"],
    ["a leading dash", "/avatars/-ada.svg"],
    ["a name too long", `/avatars/${"a".repeat(101)}.svg`],
    ["nothing before .svg", "/avatars/.svg"],
    ["a parent-directory name", "/avatars/...svg"],
    ["an encoded parent-directory path", "/avatars/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd.svg"],
    ["a backslash path", "/avatars/..%5Cwin.svg"],
    ["a NUL byte before the suffix", "/avatars/ada%00.svg"],
    ["a name far too long", `/avatars/${"a".repeat(8000)}.svg`],
    ["accented letters", `/avatars/${encodeURIComponent("adé")}.svg`],
    ["a look-alike letter (Cyrillic a)", `/avatars/${encodeURIComponent("\u0430da")}.svg`],
    ["an emoji", `/avatars/${encodeURIComponent("🙂")}.svg`],
    ["a right-to-left override", `/avatars/${encodeURIComponent("ada\u202Egnp")}.svg`],
    ["broken percent-encoding", "/avatars/%E0%A4%A.svg"],
    ["a double suffix", "/avatars/ada.svg.svg"],
  ])("answers 404 for %s", async (_, path) => {
    const response = await app.request(path);
    expect(response.status).toBe(404);
  });

  it("refuses to draw a name outside its alphabet", () => {
    expect(() => avatarSvg("<b>")).toThrow(/not an avatar name/);
  });

  it("puts white initials on backgrounds they read on at 4.5:1 or more", () => {
    const luminance = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255);
      const linear = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
      return 0.2126 * linear(r as number) + 0.7152 * linear(g as number) + 0.0722 * linear(b as number);
    };
    const names = Array.from({ length: 200 }, (_, i) => `user-${i}`);
    const fills = new Set(names.map((name) => avatarSvg(name).match(/<rect [^>]*fill="(#[0-9a-f]{6})"/)?.[1]));
    expect(fills.size).toBeGreaterThan(5);
    for (const fill of fills) expect(1.05 / (luminance(fill as string) + 0.05)).toBeGreaterThanOrEqual(4.5);
  });
});
