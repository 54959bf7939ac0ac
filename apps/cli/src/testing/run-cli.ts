import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Io, OutputStream } from "../io.ts";
import { run } from "../program.ts";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function buffer(): OutputStream & { text: string } {
  return {
    text: "",
    isTTY: false,
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  };
}

const noInput: Io["stdin"] = { isTTY: false, async *[Symbol.asyncIterator]() {} };

/**
 * Runs the real CLI in-process against `url`, with a config folder of its
 * own and no terminal; `env` stands in for the environment variables.
 */
export async function createCliRunner(url: string) {
  const root = await mkdtemp(join(tmpdir(), "inkwell-cli-test-"));
  // Not created yet: the CLI makes it on login.
  const configDir = join(root, "config");
  async function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
    const stdout = buffer();
    const stderr = buffer();
    const code = await run(args, { stdout, stderr, stdin: noInput, env: { INKWELL_CONFIG_DIR: configDir, ...env } });
    return { code, stdout: stdout.text, stderr: stderr.text };
  }
  /** Like `cli`, against the test server. */
  const at = (args: string[], env?: Record<string, string>) => cli(["--url", url, ...args], env);

  /** Starts a long-running command against the test server; its output can be read while it runs. */
  function startAt(args: string[], env: Record<string, string> = {}) {
    const stdout = buffer();
    const stderr = buffer();
    const done = run(["--url", url, ...args], {
      stdout,
      stderr,
      stdin: noInput,
      env: { INKWELL_CONFIG_DIR: configDir, ...env },
    }).then((code): CliResult => ({ code, stdout: stdout.text, stderr: stderr.text }));
    return { stdout: () => stdout.text, stderr: () => stderr.text, done };
  }

  return { cli, at, startAt, configDir, cleanup: () => rm(root, { recursive: true, force: true }) };
}
