import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInkwellClient } from "@inkwell/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eachArticle } from "./article-pages.ts";
import { GOOD_SOURCES as GOOD, mixedImportFolder, writeFiles } from "./testing/import-files.ts";
import { createCliRunner } from "./testing/run-cli.ts";
import { signUp, startTestServer, type TestServer } from "./testing/server.ts";

let server: TestServer;
let runner: Awaited<ReturnType<typeof createCliRunner>>;
let writer: { token: string; username: string };
let work: string;
let mixed: string;

beforeAll(async () => {
  server = await startTestServer();
  runner = await createCliRunner(server.url);
  writer = await signUp(server.url, "writer");
  work = await mkdtemp(join(tmpdir(), "inkwell-import-test-"));
  mixed = join(work, "mixed");
  await writeFiles(mixed, mixedImportFolder);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await runner?.cleanup();
  await server?.close();
});

const asWriter = (args: string[]) => runner.at(args, { INKWELL_TOKEN: writer.token });

async function writersArticles() {
  const client = createInkwellClient({ url: server.url });
  return client.articles.list.query({ author: writer.username, limit: 100, includeBody: true });
}

describe("articles import", () => {
  it("creates the good items and reports each bad one with its reason", async () => {
    const result = await asWriter(["--json", "articles", "import", mixed]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.created.map((item: { source: string }) => item.source).sort()).toEqual(GOOD);
    expect(report.skipped).toEqual([]);
    const failed = Object.fromEntries(
      report.failed.map((item: { source: string; reason: string }) => [item.source, item.reason]),
    );
    expect(failed).toEqual({
      "broken.json": expect.stringMatching(/^Invalid JSON: /),
      "code-front-matter.md": "Front matter must be YAML or JSON, not JavaScript.",
      "long-title.md": "title: Titles have at most 200 characters.",
      "missing-title.md": "title: Give the article a title.",
      "too-many-tags.json": "tagList: Use at most 10 tags.",
    });
    expect((globalThis as { inkwellFrontMatterRan?: boolean }).inkwellFrontMatterRan).toBeUndefined();

    const { articles, articlesCount } = await writersArticles();
    expect(articlesCount).toBe(4);
    const first = articles.find((article) => article.title === "First steps with Inkwell");
    expect(first).toMatchObject({ description: "How to write your first article.", tagList: ["guide", "inkwell"] });
    expect(first && "body" in first && first.body).toBe("# First steps\n\nWrite something *worth* reading.");
    expect(articles.find((article) => article.title === "Tags as text")?.tagList).toEqual(["cli", "markdown"]);
  });

  it("creates nothing twice when re-run, and still fails for the bad files", async () => {
    const result = await asWriter(["articles", "import", mixed]);
    expect(result.code).toBe(1);
    for (const source of GOOD) expect(result.stdout).toContain(`${source}: skipped (already imported)`);
    expect(result.stdout).toContain("Created 0, skipped 4 (already imported), failed 5.");
    expect(result.stdout).toMatch(/Failures:\n( {2}.+\n){5}$/);
    expect(result.stdout).toContain("  missing-title.md: title: Give the article a title.\n");
    expect((await writersArticles()).articlesCount).toBe(4);
  });

  it("exits 0 for a file with only good articles, creating only what is new", async () => {
    const file = join(work, "one-new-one-old.json");
    await writeFile(
      file,
      JSON.stringify([
        { title: "From JSON, one", description: "Changed description, same content.", body: "Body one.\n" },
        { title: "Brand new", description: "Not imported before.", body: "New body." },
      ]),
    );
    const result = await asWriter(["articles", "import", file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("one-new-one-old.json#1: skipped (already imported)");
    expect(result.stdout).toContain("one-new-one-old.json#2: created brand-new");
    expect((await writersArticles()).articlesCount).toBe(5);
  });

  it("refuses a missing path or another file type as a usage error, and needs a signed-in user", async () => {
    expect((await asWriter(["articles", "import", join(work, "nowhere")])).code).toBe(2);
    expect((await asWriter(["articles", "import", join(mixed, "notes.txt")])).code).toBe(2);
    const anonymous = await runner.at(["articles", "import", mixed]);
    expect(anonymous).toMatchObject({ code: 1, stderr: "Error: Sign in to do this.\n" });
  });
});

describe("articles export", () => {
  it("writes Markdown files that import back as already imported", async () => {
    const out = join(work, "export");
    const result = await runner.at(["articles", "export", "--author", writer.username, "--out", out]);
    expect(result).toMatchObject({ code: 0, stdout: `Exported 5 articles to ${out}.\n` });
    const files = (await readdir(out)).sort();
    expect(files).toHaveLength(5);
    expect(files).toContain("first-steps-with-inkwell.md");
    const markdown = await readFile(join(out, "first-steps-with-inkwell.md"), "utf8");
    expect(markdown).toMatch(/^---\ntitle: First steps with Inkwell\n/);
    expect(markdown).toContain("# First steps");

    const reimport = await asWriter(["articles", "import", out]);
    expect(reimport.code).toBe(0);
    expect(reimport.stdout).toContain("Created 0, skipped 5 (already imported), failed 0.");
  });

  it("prints JSON lines with --json, paging through every article", async () => {
    const result = await runner.at(["--json", "articles", "export", "--author", writer.username]);
    expect(result.code).toBe(0);
    const lines = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((article) => article.title)).toContain("Brand new");
    expect(lines).toHaveLength(5);
    expect(lines.every((article) => typeof article.body === "string" && article.body.length > 0)).toBe(true);
  });
});

describe("eachArticle", () => {
  it("pages with the cursor through every article, each once", async () => {
    let requests = 0;
    const counting: typeof fetch = (input, init) => {
      requests++;
      return fetch(input, init);
    };
    const client = createInkwellClient({ url: server.url, fetch: counting });
    const slugs: string[] = [];
    for await (const article of eachArticle(client, { author: writer.username }, 2)) slugs.push(article.slug);
    expect(new Set(slugs).size).toBe(5);
    expect(slugs).toHaveLength(5);
    expect(requests).toBe(3);
  });
});

describe("articles create, get, list, delete", () => {
  it("round-trips one article and reports a too-long title with the field's message", async () => {
    const tooLong = await asWriter([
      "articles",
      "create",
      "--title",
      "x".repeat(201),
      "--description",
      "d",
      "--body",
      "b",
    ]);
    expect(tooLong).toMatchObject({ code: 1, stderr: "Error: title: Titles have at most 200 characters.\n" });

    const bodyFile = join(work, "body.md");
    await writeFile(bodyFile, "Read from a file.");
    const created = await asWriter([
      "--json",
      ...["articles", "create", "--title", "Made by the CLI", "--description", "A test."],
      ...["--body-file", bodyFile, "--tag", "cli,test", "--tag", "made"],
    ]);
    expect(created.code).toBe(0);
    const article = JSON.parse(created.stdout);
    expect(article).toMatchObject({
      slug: "made-by-the-cli",
      body: "Read from a file.",
      tagList: ["cli", "made", "test"],
    });

    const shown = await runner.at(["articles", "get", "made-by-the-cli"]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain("Made by the CLI");
    expect(shown.stdout).toContain("Read from a file.");

    const listed = await runner.at(["articles", "list", "--tag", "made", "--limit", "5"]);
    expect(listed.stdout).toContain("made-by-the-cli");
    expect(listed.stdout).toContain("Showing 1 of 1 articles.");

    const bothBodies = await asWriter([
      "articles",
      "create",
      "--title",
      "t",
      "--description",
      "d",
      "--body",
      "b",
      "--body-file",
      bodyFile,
    ]);
    expect(bothBodies.code).toBe(2);

    expect((await runner.at(["articles", "delete", "made-by-the-cli"])).code).toBe(1);
    expect(await asWriter(["articles", "delete", "made-by-the-cli"])).toMatchObject({
      code: 0,
      stdout: "Deleted made-by-the-cli\n",
    });
    expect((await runner.at(["articles", "get", "made-by-the-cli"])).code).toBe(1);
  });
});
