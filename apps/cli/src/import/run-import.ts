import { setTimeout as sleep } from "node:timers/promises";
import { type InkwellClient, inkwellErrorDetails } from "@inkwell/client";
import { eachArticle } from "../article-pages.ts";
import { describeError } from "../errors.ts";
import { contentHash } from "./hash.ts";
import type { ArticleInput } from "./parse.ts";
import type { Progress } from "./progress.ts";
import type { ImportItem } from "./read-items.ts";

export interface ImportReport {
  created: { source: string; slug: string }[];
  skipped: { source: string }[];
  failed: { source: string; reason: string }[];
}

export const SKIPPED = "skipped (already imported)";

export interface ImportOptions {
  /** Waits out a rate limit before trying an item again; tests pass one that does not wait. */
  wait?: (seconds: number) => Promise<unknown>;
}

const ATTEMPTS_PER_ITEM = 3;

/** A rate limit says how long to wait; an import waits rather than failing every item after it. */
async function createArticle(client: InkwellClient, article: ArticleInput, wait: Required<ImportOptions>["wait"]) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.articles.create.mutate(article);
    } catch (error) {
      const { code, retryAfterSeconds } = inkwellErrorDetails(error);
      if (code !== "TOO_MANY_REQUESTS" || !retryAfterSeconds || attempt === ATTEMPTS_PER_ITEM) throw error;
      await wait(retryAfterSeconds);
    }
  }
}

/** Hashes of what the caller has already published, so a re-run creates nothing twice. */
async function publishedHashes(client: InkwellClient): Promise<Set<string>> {
  const me = await client.auth.me.query();
  const hashes = new Set<string>();
  for await (const article of eachArticle(client, { author: me.user.username })) {
    hashes.add(contentHash(article.title, article.body));
  }
  return hashes;
}

/**
 * Creates each item with one `articles.create` call (the server writes it in
 * one transaction: all of it or nothing), skipping content already there and
 * going on past failures.
 */
export async function importArticles(
  client: InkwellClient,
  items: ImportItem[],
  progress: Progress,
  { wait = (seconds) => sleep(seconds * 1000) }: ImportOptions = {},
): Promise<ImportReport> {
  const report: ImportReport = { created: [], skipped: [], failed: [] };
  const published = await publishedHashes(client);
  progress.start(items.length);
  try {
    for (const item of items) {
      const { source } = item;
      if ("problem" in item) {
        report.failed.push({ source, reason: item.problem });
        progress.step(source, `failed: ${item.problem}`);
        continue;
      }
      const hash = contentHash(item.article.title, item.article.body);
      if (published.has(hash)) {
        report.skipped.push({ source });
        progress.step(source, SKIPPED);
        continue;
      }
      try {
        const created = await createArticle(client, item.article, wait);
        published.add(hash);
        report.created.push({ source, slug: created.slug });
        progress.step(source, `created ${created.slug}`);
      } catch (error) {
        const reason = describeError(error);
        report.failed.push({ source, reason });
        progress.step(source, `failed: ${reason}`);
      }
    }
  } finally {
    progress.stop();
  }
  return report;
}
