/**
 * The URL to put in an `<img src>` for a user-supplied image, or null for a
 * placeholder. The API stores any string a user sends as their image (the
 * RealWorld contract accepts `javascript:alert(1)`), so the console renders
 * only absolute http(s) URLs. A value with whitespace or control characters is
 * refused rather than cleaned: browsers strip or skip them (" javascript:…",
 * "java\tscript:…"), so cleaning would render something other than what was
 * checked. The result is the parsed URL, exactly as validated.
 */
export function safeImageUrl(value: string | null | undefined): string | null {
  if (!value || value.length > MAX_URL_LENGTH || UNSAFE_CHARACTERS.test(value)) return null;
  let url: URL;
  try {
    // No base: a relative URL ("/avatar.png", "//host/a.png" has no scheme either) throws.
    url = new URL(value);
  } catch {
    return null;
  }
  return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
}

/** Longer values are not avatars; browsers cope, but there is no reason to hand them one. */
const MAX_URL_LENGTH = 2048;

/** ASCII whitespace and controls (C0, DEL) and Unicode spaces, separators and format characters. */
const UNSAFE_CHARACTERS = /[\s\p{Cc}\p{Cf}\p{Z}]/u;
