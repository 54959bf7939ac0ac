import { createRequire } from "node:module";

type CommonLanguagePackage = typeof import("@zxcvbn-ts/language-common");

/**
 * zxcvbn-ts's list of 49,233 passwords seen more than ten times in Mark Burnett's
 * ten million leaked credentials, lower-cased and ordered by frequency. zxcvbn left
 * out those its pattern matchers already rate as trivial (repeats such as `aaaaaaaa`,
 * sequences such as `87654321`, doubled years such as `19901990`), so those are not
 * "common" here. Built on first use (about 3.5 MB of heap, some 100 ms), not at import, so a
 * process that never checks a password never pays for it.
 */
let commonPasswords: Set<string> | undefined;

function loadCommonPasswords(): Set<string> {
  // `require` keeps the check synchronous while loading the list only when first needed.
  const { dictionary } = createRequire(import.meta.url)("@zxcvbn-ts/language-common") as CommonLanguagePackage;
  return new Set(dictionary["passwords-common"]);
}

/** True when the password, in any letter case, is on a well-known list of breached passwords. */
export function isCommonPassword(password: string): boolean {
  commonPasswords ??= loadCommonPasswords();
  return commonPasswords.has(password.toLowerCase());
}
