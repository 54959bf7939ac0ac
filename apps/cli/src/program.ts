import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { registerActivityCommands } from "./commands/activity.ts";
import { registerArticleCommands } from "./commands/articles.ts";
import { registerAuthCommands } from "./commands/auth.ts";
import { registerKeyCommands } from "./commands/keys.ts";
import { registerUserCommands } from "./commands/users.ts";
import { registerWebhookCommands } from "./commands/webhooks.ts";
import { DEFAULT_URL } from "./config.ts";
import { CliContext, type GlobalOptions } from "./context.ts";
import { describeError, EXIT_OK, EXIT_USAGE, exitCodeOf, UsageError } from "./errors.ts";
import type { Io } from "./io.ts";

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

function buildProgram(io: Io): { program: Command; ctx: CliContext } {
  const program = new Command("inkwell");
  const ctx = new CliContext(io, () => program.opts<GlobalOptions>());
  program
    .description("Work with an Inkwell server from the command line.")
    // Before any subcommand exists, so every one of them inherits these.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      getOutHasColors: () => Boolean(io.stdout.isTTY),
      getErrHasColors: () => Boolean(io.stderr.isTTY),
    })
    .showSuggestionAfterError()
    .version(version)
    .option("--url <url>", `server address (default: the one you logged in to, else ${DEFAULT_URL})`)
    .option("--json", "machine-readable output")
    .option("--api-key <key>", "authenticate with an API key (or INKWELL_API_KEY)")
    .option("--token <token>", "authenticate with a session token (or INKWELL_TOKEN)");

  registerAuthCommands(program, ctx);
  registerArticleCommands(program, ctx);
  registerUserCommands(program, ctx);
  registerKeyCommands(program, ctx);
  registerActivityCommands(program, ctx);
  registerWebhookCommands(program, ctx);
  return { program, ctx };
}

/** Runs the CLI on `argv` (without `node` and the script) and returns the exit code; never exits the process. */
export async function run(argv: string[], io: Io): Promise<number> {
  const { program, ctx } = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: "user" });
    return ctx.exitCode;
  } catch (error) {
    // Commander has already printed its message (or the help / version it was asked for).
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    const url = ctx.connectionUrl();
    io.stderr.write(`Error: ${describeError(error, url)}\n`);
    if (error instanceof UsageError)
      io.stderr.write("Run `inkwell --help` (or `inkwell <command> --help`) for usage.\n");
    return exitCodeOf(error);
  }
}
