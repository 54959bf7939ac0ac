import { mkdir, readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { RouterOutputs } from "@inkwell/client";
import type { Command } from "commander";
import { eachArticle } from "../article-pages.ts";
import type { CliContext } from "../context.ts";
import { UsageError } from "../errors.ts";
import { writeArticleFile } from "../export/markdown.ts";
import { createProgress } from "../import/progress.ts";
import { readImportItems } from "../import/read-items.ts";
import { printImportReport } from "../import/report.ts";
import { importArticles } from "../import/run-import.ts";
import { collectList, wholeNumber } from "../options.ts";
import { formatDate } from "../output.ts";

type Article = RouterOutputs["articles"]["get"];

interface CreateOptions {
  title: string;
  description: string;
  body?: string;
  bodyFile?: string;
  tag?: string[];
}

async function bodyOf(options: CreateOptions): Promise<string> {
  if ((options.body === undefined) === (options.bodyFile === undefined)) {
    throw new UsageError("Give the body with either --body or --body-file.");
  }
  return options.body ?? (await readFile(options.bodyFile ?? "", "utf8"));
}

function printArticle(ctx: CliContext, article: Article): void {
  ctx.output.record([
    ["Title", article.title],
    ["Slug", article.slug],
    ["Author", article.author.username],
    ["Tags", article.tagList.join(", ")],
    ["Created", formatDate(article.createdAt)],
    ["Description", article.description],
  ]);
  ctx.output.line();
  ctx.output.line(article.body);
}

export function registerArticleCommands(program: Command, ctx: CliContext): void {
  const articles = program.command("articles").description("read, write, import and export articles");

  articles
    .command("list")
    .description("list articles, newest first")
    .option("--tag <tag>", "only articles with this tag")
    .option("--author <username>", "only articles by this author")
    .option("--limit <n>", "how many to show (default 20)", wholeNumber)
    .action(async (options: { tag?: string; author?: string; limit?: number }) => {
      const page = await (await ctx.client()).articles.list.query(options);
      ctx.output.show(page, () => {
        ctx.output.table(
          ["Slug", "Title", "Author", "Tags", "Created"],
          page.articles.map((a) => [a.slug, a.title, a.author.username, a.tagList.join(", "), formatDate(a.createdAt)]),
        );
        ctx.output.line(`Showing ${page.articles.length} of ${page.articlesCount} articles.`);
      });
    });

  articles
    .command("get")
    .description("show one article with its body")
    .argument("<slug>")
    .action(async (slug: string) => {
      const article = await (await ctx.client()).articles.get.query({ slug });
      ctx.output.show(article, () => printArticle(ctx, article));
    });

  articles
    .command("create")
    .description("publish an article")
    .requiredOption("--title <title>")
    .requiredOption("--description <text>", "one sentence about the article")
    .option("--body <markdown>", "the body")
    .option("--body-file <file>", "read the body from a file")
    .option("--tag <tag>", "a tag (repeat or separate with commas)", collectList)
    .action(async (options: CreateOptions) => {
      const body = await bodyOf(options);
      const article = await (await ctx.client()).articles.create.mutate({
        title: options.title,
        description: options.description,
        body,
        tagList: options.tag ?? [],
      });
      ctx.output.show(article, () => ctx.output.line(`Created ${article.slug}`));
    });

  articles
    .command("delete")
    .description("delete one of your articles")
    .argument("<slug>")
    .action(async (slug: string) => {
      const result = await (await ctx.client()).articles.delete.mutate({ slug });
      ctx.output.show(result, () => ctx.output.line(`Deleted ${result.deleted}`));
    });

  articles
    .command("import")
    .description("publish articles from Markdown (.md with front matter) and JSON files; safe to re-run")
    .argument("<path>", "a .md or .json file, or a folder of them")
    .action(async (path: string) => {
      const items = await readImportItems(path);
      const client = await ctx.client();
      const progress = createProgress(ctx.io, { json: ctx.output.json });
      const report = await importArticles(client, items, progress, {
        wait: (seconds) => {
          ctx.output.note(`The server asks to slow down; waiting ${seconds}s.`);
          return sleep(seconds * 1000);
        },
      });
      printImportReport(ctx.output, report, { listSkipped: Boolean(ctx.io.stderr.isTTY) });
      if (report.failed.length > 0) ctx.markFailed();
    });

  articles
    .command("export")
    .description("save articles as Markdown files with front matter (JSON lines on stdout with --json)")
    .option("--author <username>", "only articles by this author")
    .option("--out <folder>", "where to write the files (default ./inkwell-export)")
    .action(async (options: { author?: string; out?: string }) => {
      const client = await ctx.client();
      const all = eachArticle(client, { author: options.author });
      if (ctx.output.json && !options.out) {
        for await (const article of all) ctx.output.jsonLine(article);
        return;
      }
      const folder = resolve(options.out ?? "inkwell-export");
      await mkdir(folder, { recursive: true });
      let exported = 0;
      for await (const article of all) {
        await writeArticleFile(folder, article);
        exported++;
      }
      ctx.output.show({ exported, folder }, () => ctx.output.line(`Exported ${exported} articles to ${folder}.`));
    });
}
