import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RouterOutputs } from "@inkwell/client";
import matter from "gray-matter";

type Article = RouterOutputs["articles"]["list"]["articles"][number] & { body: string };

/** Front matter `inkwell articles import` reads back (title, description, tags), plus where it came from. */
export function articleToMarkdown(article: Article): string {
  return matter.stringify(`${article.body.trim()}\n`, {
    title: article.title,
    description: article.description,
    tags: article.tagList,
    slug: article.slug,
    author: article.author.username,
    createdAt: article.createdAt.toISOString(),
  });
}

/** Slugs are already file-safe; this keeps a surprising one from leaving the folder. */
const fileNameOf = (slug: string) => `${slug.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^\.+/, "")}.md`;

export async function writeArticleFile(folder: string, article: Article): Promise<string> {
  const file = join(folder, fileNameOf(article.slug));
  await writeFile(file, articleToMarkdown(article));
  return file;
}
