/**
 * Fails the build when the JavaScript the admin console loads before its first
 * render (the entry script and its modulepreload links, as listed in the built
 * index.html) is larger than the budget, gzipped. Route chunks load later and
 * do not count.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_BYTES = 200_000;
const distDir = join(import.meta.dirname, "..", "dist");

const html = await readFile(join(distDir, "index.html"), "utf8");

/** Local paths of `<script type="module" src>` and `<link rel="modulepreload" href>` in the page. */
function initialScripts(page: string): string[] {
  const found = new Set<string>();
  for (const tag of page.match(/<(script|link)\b[^>]*>/g) ?? []) {
    const attribute = (name: string) => tag.match(new RegExp(`\\b${name}="([^"]*)"`))?.[1];
    const isEntry = tag.startsWith("<script") && attribute("type") === "module" && attribute("src");
    const isPreload = tag.startsWith("<link") && attribute("rel") === "modulepreload" && attribute("href");
    const url = isEntry ? attribute("src") : isPreload ? attribute("href") : undefined;
    if (url && !/^[a-z]+:\/\//i.test(url)) found.add(url.replace(/^\//, ""));
  }
  return [...found];
}

const files = initialScripts(html);
if (files.length === 0) {
  console.error("check-bundle-size: dist/index.html loads no module script; is the build broken?");
  process.exit(1);
}

let total = 0;
for (const file of files) {
  const source = await readFile(join(distDir, file));
  const gzipped = gzipSync(source, { level: 9 }).length;
  total += gzipped;
  console.log(`  ${(gzipped / 1000).toFixed(1).padStart(7)} kB  ${file}`);
}

const summary = `initial JavaScript: ${(total / 1000).toFixed(1)} kB gzipped (budget ${BUDGET_BYTES / 1000} kB)`;
if (total > BUDGET_BYTES) {
  console.error(`check-bundle-size: ${summary}: over budget. Split the route that grew, or lazy-load the library.`);
  process.exit(1);
}
console.log(`check-bundle-size: ${summary}`);
