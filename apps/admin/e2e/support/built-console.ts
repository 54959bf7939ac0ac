import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";

/** The newest modification time of the files under `dir` that go into the build (tests do not), in milliseconds. */
async function newestChange(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || /\.test\.tsx?$/.test(entry.name)) continue;
    newest = Math.max(newest, (await stat(join(entry.parentPath, entry.name))).mtimeMs);
  }
  return newest;
}

/**
 * The browser files test the built console the server serves: without a build every page is a 404, and with
 * one older than the source they test yesterday's console (its scripts no longer match the CSP hashes).
 * Says so once, before any browser file runs, instead of dozens of timeouts.
 */
export async function assertConsoleBuilt(adminDir: string): Promise<void> {
  const built = await stat(join(adminDir, "dist", "index.html")).catch(() => undefined);
  if (!built) {
    throw new Error(
      `${join(adminDir, "dist")} holds no build of the console: run \`pnpm build\` first (\`pnpm test\` does).`,
    );
  }
  const sourceChanged = Math.max(
    await newestChange(join(adminDir, "src")),
    (await stat(join(adminDir, "index.html"))).mtimeMs,
  );
  if (sourceChanged > built.mtimeMs) {
    throw new Error(
      `${join(adminDir, "dist")} is older than the console's source: run \`pnpm build\` again (\`pnpm test\` does).`,
    );
  }
}
