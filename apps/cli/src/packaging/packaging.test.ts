// @inkwell/client and @inkwell/cli as another repository gets them: packed with `pnpm pack`, installed
// with npm into a folder outside the workspace (no workspace links), compiled with `tsc --strict`
// (TypeScript 5.9 and 7) and run with plain Node.js against a real server.
// Builds once (the packs' prepack scripts), then installs from the npm cache when it holds everything.
import { copyFile, lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, startTestServer, type TestServer } from "../testing/server.ts";
import {
  cleanEnv,
  diagnosticsOf,
  extendedDiagnosticsOf,
  type Finished,
  npmInstall,
  packWorkspacePackage,
  run,
  succeed,
} from "./toolchain.ts";

// The compilers a consumer brings (npm's cache holds them after the first run).
const TYPESCRIPT_5 = "5.9.3";
const TYPESCRIPT_7 = "7.0.2";
const NODE_TYPES = "20.19.43";

const strictConfig = {
  compilerOptions: {
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: true,
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    types: ["node"],
    rootDir: "src",
    outDir: "dist",
  },
  // The consumer and the mistakes in one program, compiled once; tsc still emits the consumer.
  include: ["src/*.ts"],
};

/** Mistakes the client's types must catch, each with the compiler error it must cause. */
const mistakes = {
  "src/wrong-procedure.ts": {
    call: "await inkwell.articles.lists.query()",
    code: "TS2551",
    message: /^Property 'lists' does not exist on type .*Did you mean 'list'\?$/,
  },
  "src/wrong-input.ts": {
    call: 'await inkwell.articles.create.mutate({ title: "t", description: "d", body: "b", tags: ["x"] })',
    code: "TS2353",
    message:
      /^Object literal may only specify known properties, and 'tags' does not exist in type '\{ title: string; description: string; body: string; tagList\?: string\[\] \| undefined; \}'\.$/,
  },
  "src/wrong-output.ts": {
    call: "(await inkwell.articles.list.query()).articlesCount satisfies string",
    code: "TS1360",
    message: /^Type 'number' does not satisfy the expected type 'string'\.$/,
  },
} as const;

let server: TestServer;
let root: string;
let consumerDir: string;
let globalPrefix: string;
let tarballs: { client: string; cli: string };
let installs: { consumer: Finished; global: Finished; npx: Finished };
/** Both compilers over the consumer, started together once it is installed (each test awaits its own). */
let compiled: { typescript5: Promise<Finished>; typescript7: Promise<Finished> };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "inkwell-packaging-"));
  consumerDir = join(root, "consumer");
  globalPrefix = join(root, "global");
  const packs = join(root, "tarballs");
  await Promise.all([mkdir(join(consumerDir, "src"), { recursive: true }), mkdir(packs), mkdir(globalPrefix)]);
  const [client, cli, started] = await Promise.all([
    packWorkspacePackage("packages/client", packs),
    packWorkspacePackage("apps/cli", packs),
    startTestServer(),
  ]);
  tarballs = { client, cli };
  server = started;

  await writeFile(
    join(consumerDir, "package.json"),
    JSON.stringify({
      name: "consumer",
      private: true,
      type: "module",
      dependencies: {
        "@inkwell/client": `file:${client}`,
        "@types/node": NODE_TYPES,
        typescript: TYPESCRIPT_5,
        typescript7: `npm:typescript@${TYPESCRIPT_7}`,
      },
    }),
  );
  await writeFile(join(consumerDir, "tsconfig.json"), JSON.stringify(strictConfig));
  await copyFile(new URL("consumer/consumer.ts", import.meta.url), join(consumerDir, "src/consumer.ts"));
  for (const [file, { call }] of Object.entries(mistakes)) {
    await writeFile(
      join(consumerDir, file),
      `import { createInkwellClient } from "@inkwell/client";\nconst inkwell = createInkwellClient({ url: "http://127.0.0.1:3000" });\nexport const result = ${call};\n`,
    );
  }
  // One npm at a time: they share npm's cache, and a run once saw the client's tarball as corrupt with three.
  const consumer = await npmInstall(consumerDir, []);
  // The compilers need only the consumer's install: they run while npm installs the CLI. Handled
  // here so that a failure waiting for its test is not reported as unhandled in between.
  const settled = (result: Promise<Finished>) => {
    result.catch(() => {});
    return result;
  };
  compiled = {
    typescript5: settled(tsc("typescript", ["-p", ".", "--extendedDiagnostics"])),
    typescript7: settled(tsc("typescript7", ["-p", ".", "--noEmit"])),
  };
  const global = await npmInstall(root, ["--global", "--prefix", globalPrefix, cli]);
  // npx of the tarball alone (a path npx recognises as a package starts with ./).
  const npx = await succeed("npx", ["--yes", "--prefer-offline", `./${basename(cli)}`, "--help"], { cwd: packs });
  installs = { consumer, global, npx };
}, 600_000);

afterAll(async () => {
  await server?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

const tsc = (compiler: "typescript" | "typescript7", args: string[]) =>
  run(process.execPath, [join(consumerDir, "node_modules", compiler, "bin/tsc"), "--pretty", "false", ...args], {
    cwd: consumerDir,
  });

const inkwell = (args: string[]) =>
  run(join(globalPrefix, "bin/inkwell"), args, {
    cwd: root,
    env: cleanEnv({ INKWELL_CONFIG_DIR: join(root, "config") }),
  });

describe("the packed tarballs", () => {
  it("hold the built files and a manifest with no workspace references", async () => {
    const listing = async (tarball: string) =>
      (await succeed("tar", ["-tzf", tarball], { cwd: root })).stdout.split("\n").filter(Boolean).sort();
    const manifest = async (tarball: string) =>
      JSON.parse((await succeed("tar", ["-xzOf", tarball, "package/package.json"], { cwd: root })).stdout);

    const clientFiles = await listing(tarballs.client);
    expect(
      clientFiles.every((file) => /^package\/(dist\/[\w-]+\.(js|d\.ts)|package\.json|README\.md)$/.test(file)),
    ).toBe(true);
    expect(clientFiles).toEqual(
      expect.arrayContaining([
        "package/dist/index.js",
        "package/dist/index.d.ts",
        "package/dist/errors.js",
        "package/dist/errors.d.ts",
        "package/dist/webhooks.js",
        "package/dist/webhooks.d.ts",
      ]),
    );
    expect(await listing(tarballs.cli)).toEqual(["package/dist/inkwell.js", "package/package.json"]);

    const client = await manifest(tarballs.client);
    expect(client.exports["."]).toEqual({ types: "./dist/index.d.ts", import: "./dist/index.js" });
    expect(client.peerDependencies).toEqual({ "@trpc/server": expect.any(String) });
    const cli = await manifest(tarballs.cli);
    expect(cli.bin).toEqual({ inkwell: "./dist/inkwell.js" });
    for (const packed of [client, cli]) {
      expect(JSON.stringify(packed)).not.toMatch(/workspace:|@inkwell\/(api|db|server|auth|config)/);
      expect(packed).not.toHaveProperty("private");
      expect(packed).not.toHaveProperty("devDependencies");
      expect(packed.engines).toEqual({ node: ">=20.19" });
    }
    // The client is bundled into the CLI, so the CLI's tarball installs on its own.
    expect(Object.keys(cli.dependencies).sort()).toEqual([
      "cli-progress",
      "cli-table3",
      "commander",
      "env-paths",
      "gray-matter",
      "standardwebhooks",
    ]);
  });

  it("installs with npm outside the workspace, with no link into it", async () => {
    expect(installs.consumer.code).toBe(0);
    const installed = join(consumerDir, "node_modules/@inkwell/client");
    expect((await stat(installed)).isDirectory()).toBe(true);
    expect((await lstat(installed)).isSymbolicLink()).toBe(false);
    await expect(stat(join(consumerDir, "node_modules/@inkwell/api"))).rejects.toThrow(/ENOENT/);
  });
});

// Compilers and processes on a shared 2-core machine: minutes, not the default 20 s.
describe("the client's declarations", { timeout: 180_000 }, () => {
  it("refer to no server code, database driver or validation library, and stay small", async () => {
    const dist = join(consumerDir, "node_modules/@inkwell/client/dist");
    const declarations = (await readdir(dist)).filter((file) => file.endsWith(".d.ts"));
    let bytes = 0;
    const imported = new Set<string>();
    for (const file of declarations) {
      const text = await readFile(join(dist, file), "utf8");
      bytes += Buffer.byteLength(text);
      for (const [, specifier] of text.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)) imported.add(specifier ?? "");
    }
    const external = [...imported].filter((specifier) => !specifier.startsWith("./")).sort();
    expect(external).toEqual(["@trpc/client", "@trpc/server", "eventsource", "standardwebhooks"]);
    console.log(`@inkwell/client declarations: ${declarations.length} files, ${bytes} bytes`);
    expect(bytes).toBeLessThan(64_000);
  });

  it("compile a strict consumer cheaply with TypeScript 5.9, refusing exactly the three mistakes", async () => {
    const result = await compiled.typescript5;
    expect(result.code).not.toBe(0);
    expectExactlyTheMistakes(result.stdout);
    const figures = extendedDiagnosticsOf(result.stdout);
    console.log(
      `consumer tsc ${TYPESCRIPT_5}: ${figures.Files} files, ${figures.Types} types, ${figures.Instantiations} instantiations, ` +
        `memory ${figures["Memory used"]}, check ${figures["Check time"]}, total ${figures["Total time"]}`,
    );
    // Counts, not times: they do not depend on the machine's load. Drizzle's or zod's types would add thousands.
    expect(Number(figures.Types)).toBeLessThan(5_000);
    expect(Number(figures.Instantiations)).toBeLessThan(10_000);
    // Errors elsewhere do not stop tsc from emitting the consumer, which the next tests run.
    expect((await stat(join(consumerDir, "dist/consumer.js"))).isFile()).toBe(true);
  });

  it("make TypeScript 7 refuse the same three mistakes, and nothing else", async () => {
    const result = await compiled.typescript7;
    expect(result.code).not.toBe(0);
    expectExactlyTheMistakes(result.stdout);
  });
});

/** One error per mistake, with its code and message, and none in the consumer itself. */
function expectExactlyTheMistakes(output: string) {
  const diagnostics = diagnosticsOf(output);
  expect(diagnostics.map(({ file, code }) => `${file} ${code}`).sort()).toEqual(
    Object.entries(mistakes)
      .map(([file, { code }]) => `${file} ${code}`)
      .sort(),
  );
  for (const { file, message } of diagnostics) {
    expect(message).toMatch(mistakes[file as keyof typeof mistakes].message);
  }
}

describe("a consumer and the CLI against a real server", { timeout: 120_000 }, () => {
  it("signs in, creates, lists and receives a comment over a subscription with plain Node.js", async () => {
    await compiled.typescript5; // it emits dist/consumer.js
    const started = await run(process.execPath, ["dist/consumer.js", server.url, ADMIN.email, ADMIN.password], {
      cwd: consumerDir,
    });
    expect(started.stderr).toBe("");
    expect(started.code).toBe(0);
    const seen = JSON.parse(started.stdout);
    expect(seen).toEqual({
      signedInAs: ADMIN.email,
      created: {
        slug: expect.stringMatching(/^shipped-from-another-repository/),
        createdAtIsDate: true,
        tagList: ["packaging"],
      },
      listed: { count: 1, titles: ["Shipped from another repository"] },
      streamed: { id: expect.any(String), body: "First!" },
      refused: { code: "BAD_REQUEST", fields: ["title"] },
      sameErrorHelper: true,
    });
  });

  it("runs the installed inkwell bin: help, a JSON list, and a usage error's exit code", async () => {
    expect(installs.global.code).toBe(0);
    expect(installs.npx.stdout).toMatch(/^Usage: inkwell \[options\] \[command\]/);

    const help = await inkwell(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: inkwell \[options\] \[command\]/);
    expect(help.stdout).toContain("articles");

    const listed = await inkwell(["--url", server.url, "--json", "articles", "list", "--tag", "packaging"]);
    expect(listed.stderr).toBe("");
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject({
      articlesCount: 1,
      articles: [{ title: "Shipped from another repository", tagList: ["packaging"] }],
    });

    const usage = await inkwell(["--url", server.url, "articles", "list", "--limit", "x"]);
    expect(usage.code).toBe(2);
  });
});
