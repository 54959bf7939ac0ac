import { readdir, readFile, stat } from "node:fs/promises";
import { basename, extname, join, relative } from "node:path";
import { UsageError } from "../errors.ts";
import { type ArticleInput, ItemProblem, parseJsonArticles, parseMarkdown } from "./parse.ts";

/** One article to import, or the reason it could not be read; `source` names the file (and entry). */
export type ImportItem = { source: string } & ({ article: ArticleInput } | { problem: string });

const IMPORTABLE = new Set([".md", ".json"]);

const isImportable = (path: string) => IMPORTABLE.has(extname(path).toLowerCase());

/** Markdown and JSON files in `folder` and its subfolders, skipping hidden ones, in a stable order. */
async function filesIn(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && isImportable(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter(
      (file) =>
        !relative(folder, file)
          .split(/[\\/]/)
          .some((part) => part.startsWith(".")),
    )
    .sort();
}

async function itemsOfFile(file: string, source: string): Promise<ImportItem[]> {
  try {
    const content = await readFile(file, "utf8");
    if (extname(file).toLowerCase() === ".md") return [{ source, article: parseMarkdown(content) }];
    const entries = parseJsonArticles(content);
    return entries.map((entry, index) => {
      const name = entries.length > 1 ? `${source}#${index + 1}` : source;
      return entry instanceof ItemProblem ? { source: name, problem: entry.message } : { source: name, article: entry };
    });
  } catch (error) {
    if (error instanceof ItemProblem) return [{ source, problem: error.message }];
    return [{ source, problem: `Could not read the file: ${(error as Error).message}` }];
  }
}

/** The articles in a `.md` or `.json` file, or in every such file under a folder. */
export async function readImportItems(path: string): Promise<ImportItem[]> {
  const info = await stat(path).catch(() => {
    throw new UsageError(`No such file or folder: ${path}`);
  });
  if (info.isDirectory()) {
    const items = await Promise.all((await filesIn(path)).map((file) => itemsOfFile(file, relative(path, file))));
    return items.flat();
  }
  if (!isImportable(path)) throw new UsageError(`Import .md or .json files, not ${basename(path)}.`);
  return itemsOfFile(path, basename(path));
}
