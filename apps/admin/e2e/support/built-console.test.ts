import { mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { assertConsoleBuilt } from "./built-console.ts";

let adminDir: string;
const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);

async function file(path: string, at: Date) {
  await mkdir(join(adminDir, path, ".."), { recursive: true });
  await writeFile(join(adminDir, path), "x");
  await utimes(join(adminDir, path), at, at);
}

beforeEach(async () => {
  adminDir = await mkdtemp(join(tmpdir(), "inkwell-admin-"));
  await file("index.html", hoursAgo(3));
  await file("src/routes/users/page.tsx", hoursAgo(3));
});
afterEach(() => rm(adminDir, { recursive: true, force: true }));

describe("assertConsoleBuilt", () => {
  it("refuses a console that was never built, saying what to run", async () => {
    await expect(assertConsoleBuilt(adminDir)).rejects.toThrow(/dist holds no build of the console: run `pnpm build`/);
  });

  it("refuses a build older than a source file, nested or not", async () => {
    await file("dist/index.html", hoursAgo(2));
    await file("src/routes/users/page.tsx", hoursAgo(1));
    await expect(assertConsoleBuilt(adminDir)).rejects.toThrow(/dist is older than the console's source/);
  });

  it("refuses a build older than the page it starts from", async () => {
    await file("dist/index.html", hoursAgo(2));
    await file("index.html", hoursAgo(1));
    await expect(assertConsoleBuilt(adminDir)).rejects.toThrow(/older than the console's source/);
  });

  it("accepts a build newer than every source file; a test file changed since does not count", async () => {
    await file("dist/index.html", hoursAgo(2));
    await file("src/routes/users/page.test.tsx", hoursAgo(1));
    await expect(assertConsoleBuilt(adminDir)).resolves.toBeUndefined();
  });
});
