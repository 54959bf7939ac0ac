// The tools the packaging test drives as another repository would: pnpm to pack, npm to install,
// tsc to compile, node to run. Each runs as a child process; nothing here is mocked.
import { execFile } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export interface Finished {
  code: number;
  stdout: string;
  stderr: string;
}

export const workspaceRoot = fileURLToPath(new URL("../../../../", import.meta.url));

/**
 * The environment without what pnpm and vitest set for the workspace (`npm_config_*`, `npm_package_*`,
 * `INIT_CWD`), so npm outside it behaves as in a fresh shell, and without the CLI's own `INKWELL_*`
 * settings from the developer's shell; `extra` adds variables.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(npm_|INIT_CWD$|PNPM_|INKWELL_)/i.test(name)) env[name] = value;
  }
  return { ...env, npm_config_update_notifier: "false", ...extra };
}

/** Runs a command to completion; never throws for a non-zero exit (the caller asserts the code). */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<Finished> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: options.env ?? cleanEnv(), timeout: options.timeoutMs ?? 300_000, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number")
          reject(new Error(`${command} ${args.join(" ")}: ${error.message}`));
        else resolve({ code: typeof error?.code === "number" ? error.code : 0, stdout, stderr });
      },
    );
  });
}

/** Like `run`, but a non-zero exit is an error carrying the output. */
export async function succeed(...call: Parameters<typeof run>): Promise<Finished> {
  const result = await run(...call);
  if (result.code !== 0) {
    throw new Error(`${call[0]} ${call[1].join(" ")} exited with ${result.code}:\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/** `pnpm pack` of one workspace package (its prepack script builds it) into `destination`; the tarball's path. */
export async function packWorkspacePackage(packageDir: string, destination: string): Promise<string> {
  const directory = join(workspaceRoot, packageDir);
  await succeed("pnpm", ["pack", "--pack-destination", destination], { cwd: directory, env: process.env });
  // pnpm names it <scope>-<name>-<version>.tgz.
  const { name, version } = JSON.parse(await readFile(join(directory, "package.json"), "utf8"));
  const tarball = join(destination, `${String(name).replace(/^@/, "").replace("/", "-")}-${version}.tgz`);
  const { size } = await stat(tarball);
  if (size === 0) throw new Error(`pnpm pack of ${packageDir} wrote an empty ${tarball}`);
  return tarball;
}

/** `npm install` as a developer elsewhere runs it, from the npm cache when it holds everything. */
export function npmInstall(cwd: string, args: string[]): Promise<Finished> {
  return succeed("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", ...args], { cwd });
}

/** One compiler diagnostic, as `tsc --pretty false` prints it. */
export interface Diagnostic {
  file: string;
  code: string;
  message: string;
}

export function diagnosticsOf(output: string): Diagnostic[] {
  return [...output.matchAll(/^(.+?)\(\d+,\d+\): error (TS\d+): (.*)$/gm)].map(
    ([, file = "", code = "", message = ""]) => ({
      file,
      code,
      message,
    }),
  );
}

/** `tsc --extendedDiagnostics` figures, by their label ("Files", "Check time", "Memory used", …). */
export function extendedDiagnosticsOf(output: string): Record<string, string> {
  return Object.fromEntries(
    [...output.matchAll(/^([A-Za-z][\w ]*?):\s+(\S+)$/gm)].map(([, label, value]) => [label, value]),
  );
}
