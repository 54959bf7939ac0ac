import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

/**
 * A folder to import, good files and bad. Kept as strings rather than files:
 * the repository's formatter rewrites Markdown front matter and JSON, and
 * these must stay byte for byte what an importer meets.
 */
export const mixedImportFolder: Record<string, string> = {
  "first-steps.md": `---
title: First steps with Inkwell
description: How to write your first article.
tags: [inkwell, guide]
---

# First steps

Write something *worth* reading.
`,
  "nested/tags-as-text.md": `---
title: Tags as text
description: Front matter tags may be one comma-separated string.
tags: cli, markdown
---
A body in a subfolder.
`,
  "batch.json": JSON.stringify([
    { title: "From JSON, one", description: "The first of two in one file.", body: "Body one.", tagList: ["json"] },
    { title: "From JSON, two", description: "The second of two in one file.", body: "Body two." },
  ]),
  // Bad: each is reported with its reason.
  "missing-title.md": `---
description: This file forgot its title.
---
Body without a title.
`,
  "long-title.md": `---
title: ${"T".repeat(201)}
description: A title one character too long.
---
Body of the long-titled article.
`,
  "broken.json": '{ "title": "Broken", "description": "Trailing comma", "body": "oops", }\n',
  "too-many-tags.json": JSON.stringify({
    title: "Eleven tags",
    description: "One tag over the limit.",
    body: "Tagged to the hilt.",
    tagList: Array.from({ length: 11 }, (_, i) => `t${i + 1}`),
  }),
  "code-front-matter.md": `---js
{ title: (globalThis.inkwellFrontMatterRan = true, "Code in front matter"), description: "Must not run." }
---
Front matter is data, never code.
`,
  // Not imported: hidden folders and other file types.
  ".drafts/hidden.md": "---\ntitle: Hidden\ndescription: Not imported.\n---\nHidden.\n",
  "notes.txt": "Not an article.\n",
};

export const GOOD_SOURCES = ["batch.json#1", "batch.json#2", "first-steps.md", "nested/tags-as-text.md"];

export async function writeFiles(folder: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(folder, name)), { recursive: true });
    await writeFile(join(folder, name), content);
  }
}
