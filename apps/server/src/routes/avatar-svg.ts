/** Names an avatar may be drawn for: what the seed's usernames look like (letters, digits, `-`, `_`). */
export const AVATAR_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

/** Backgrounds white text reads on at 4.5:1 or more (WCAG AA): the 9th shades of Mantine's palette, and gray 8. */
const BACKGROUNDS = ["#364fc7", "#1864ab", "#0b7285", "#087f5b", "#862e9c", "#5f3dc4", "#a61e4d", "#c92a2a", "#343a40"];

/** Up to two letters: the first of the name's first two words (`ada-lovelace-12` → `AL`). */
export function avatarInitials(name: string): string {
  const words = name.split(/[-_]/).filter((word) => /^[A-Za-z]/.test(word));
  const letters = words.slice(0, 2).map((word) => word[0]?.toUpperCase() ?? "");
  return letters.join("") || (name[0]?.toUpperCase() ?? "?");
}

/** A stable choice of background per name (FNV-1a). */
function backgroundFor(name: string): string {
  let hash = 0x811c9dc5;
  for (const char of name) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 0x01000193) >>> 0;
  return BACKGROUNDS[hash % BACKGROUNDS.length] as string;
}

/** The SVG for `name`, which must match `AVATAR_NAME` (nothing of it is escaped: only its letters are drawn). */
export function avatarSvg(name: string): string {
  if (!AVATAR_NAME.test(name)) throw new Error(`not an avatar name: ${JSON.stringify(name)}`);
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">',
    `<rect width="128" height="128" fill="${backgroundFor(name)}"/>`,
    '<text x="64" y="64" dy="0.35em" text-anchor="middle" fill="#ffffff"',
    ' font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" font-size="52" font-weight="600">',
    avatarInitials(name),
    "</text></svg>",
  ].join("");
}
