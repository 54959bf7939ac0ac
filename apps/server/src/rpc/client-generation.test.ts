import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import openapiTS, { astToString } from "openapi-typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rpcDocument } from "./document.ts";
import { readCatalogue } from "./procedures.ts";

/** The workspace's compiler (TypeScript 7), as a team would run theirs over the generated types. */
const tsc = join(import.meta.dirname, "..", "..", "..", "..", "node_modules", ".bin", "tsc");

/**
 * What another team writes against the generated types: a small typed fetch
 * wrapper and calls to operators' procedures. Lines marked `// error` must be
 * refused by the compiler (a wrong procedure, input field, enum value and
 * output type); every other line must compile.
 */
const usage = `import type { paths } from "./inkwell.ts";

type Ok<Op> = Op extends { responses: { 200: { content: { "application/json": infer Body } } } } ? Body : never;
type Query<Op> = Op extends { parameters: { query?: infer Fields } } ? NonNullable<Fields> : never;
type Body<Op> = Op extends { requestBody?: { content: { "application/json": infer Fields } } } ? Fields : never;

type Queries = { [P in keyof paths]: paths[P] extends { get: object } ? P : never }[keyof paths];
type Mutations = { [P in keyof paths]: paths[P] extends { post: object } ? P : never }[keyof paths];

declare function query<P extends Queries>(path: P, input: Query<paths[P]["get"]>): Promise<Ok<paths[P]["get"]>>;
declare function mutate<P extends Mutations>(path: P, input: Body<paths[P]["post"]>): Promise<Ok<paths[P]["post"]>>;

export async function operatorScript(): Promise<number> {
  const page = await query("/users.list", { role: "moderator", sort: "username", pageSize: 50 });
  const names: string[] = page.users.map((user) => user.username);
  const joined: string | undefined = page.users[0]?.createdAt;
  const events = await query("/audit.list", { from: "2026-01-01T00:00:00Z", action: "users.suspend" });
  const cursor: string | null = events.nextCursor;
  const hidden = await mutate("/moderation.comments.hide", { ids: [1, 2] });
  const failures = await query("/jobs.failures", { state: "failed" });
  const state: "failed" | "retrying" | "running" | undefined = failures.failures[0]?.state;
  await query("/users.lst", {}); // error
  await query("/users.list", { rol: "moderator" }); // error
  await query("/users.list", { role: "wizard" }); // error
  const total: string = page.total; // error
  await mutate("/users.list", {}); // error
  return names.length + hidden.affected.length + String(joined).length + String(cursor).length + String(state).length;
}
`;

const expectedErrorLines = usage.split("\n").flatMap((line, index) => (line.endsWith("// error") ? [index + 1] : []));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "inkwell-rpc-client-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("a client generated from /api/rpc/openapi.json by openapi-typescript", () => {
  it("types every procedure, and the compiler holds a consumer to the document", { timeout: 120_000 }, async () => {
    const types = astToString(await openapiTS(structuredClone(rpcDocument(readCatalogue())) as never));
    for (const { path } of readCatalogue().served) expect(types).toContain(`"/${path}": {`);
    await writeFile(join(dir, "inkwell.ts"), types);
    await writeFile(join(dir, "usage.ts"), usage);
    await writeFile(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: "es2022",
          module: "esnext",
          moduleResolution: "bundler",
          allowImportingTsExtensions: true,
          lib: ["es2022"],
          types: [],
        },
        files: ["inkwell.ts", "usage.ts"],
      }),
    );
    const result = await promisify(execFile)(tsc, ["-p", dir, "--pretty", "false"], { cwd: dir }).then(
      () => ({ stdout: "" }),
      (error: { stdout: string }) => ({ stdout: error.stdout }),
    );
    const errors = result.stdout
      .split("\n")
      .filter((line) => line.includes("error TS"))
      .map((line) => {
        const [, file, row, code] = /^(.+?)\((\d+),\d+\): error (TS\d+)/.exec(line) ?? [];
        return { file, line: Number(row), code };
      });
    expect(
      errors.map(({ file }) => file).every((file) => file === "usage.ts"),
      result.stdout,
    ).toBe(true);
    expect([...new Set(errors.map(({ line }) => line))], result.stdout).toEqual(expectedErrorLines);
  });
});
