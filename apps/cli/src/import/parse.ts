import type { RouterInputs } from "@inkwell/client";
import matter from "gray-matter";

export type ArticleInput = RouterInputs["articles"]["create"];

/** A file or item that could not be read into an article; the import reports it and goes on. */
export class ItemProblem extends Error {
  override name = "ItemProblem";
}

/** gray-matter would `eval` front matter marked `---js`; imported files are data, never code. */
const refuseCode = () => {
  throw new ItemProblem("Front matter must be YAML or JSON, not JavaScript.");
};
const matterOptions = { engines: { javascript: refuseCode, js: refuseCode } };

/**
 * Values become the strings the server expects; missing ones become empty so
 * the server, which owns the rules, says what is wrong with them.
 */
function text(value: unknown, field: string): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new ItemProblem(`${field} must be text.`);
}

/** A list of tags, or one string of comma-separated tags. */
function tags(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === "string") {
    return value
      .split(",")
      .map((tag) => tag.trim())
      .filter(Boolean);
  }
  if (Array.isArray(value)) return value.map((tag) => text(tag, field));
  throw new ItemProblem(`${field} must be a list of tags.`);
}

/** Front matter gives title, description and tags; the rest of the file is the body. */
export function parseMarkdown(source: string): ArticleInput {
  const { data, content } = matter(source, matterOptions);
  return {
    title: text(data.title, "title"),
    description: text(data.description, "description"),
    body: content.trim(),
    tagList: tags(data.tags, "tags"),
  };
}

function articleFromJson(value: unknown): ArticleInput {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ItemProblem("Expected an article object with title, description, body and tagList.");
  }
  const fields = value as Record<string, unknown>;
  return {
    title: text(fields.title, "title"),
    description: text(fields.description, "description"),
    body: text(fields.body, "body"),
    tagList: tags(fields.tagList, "tagList"),
  };
}

/** One article object or an array of them; each entry is an article or the problem with it. */
export function parseJsonArticles(source: string): (ArticleInput | ItemProblem)[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch (error) {
    throw new ItemProblem(`Invalid JSON: ${(error as Error).message}`);
  }
  const entries = Array.isArray(parsed) ? parsed : [parsed];
  return entries.map((entry) => {
    try {
      return articleFromJson(entry);
    } catch (error) {
      if (error instanceof ItemProblem) return error;
      throw error;
    }
  });
}
