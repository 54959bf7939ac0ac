import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";
import { UsageError } from "./errors.ts";
import type { Io } from "./io.ts";

/** Asks on the terminal; without one (scripts, CI) the value must come from a flag. */
export async function ask(io: Io, question: string, flag: string, options: { hidden?: boolean } = {}) {
  if (!io.stdin.isTTY) throw new UsageError(`Pass ${flag}, or run in a terminal to be asked.`);
  // readline echoes what is typed to its output; a password's echo is swallowed here.
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      if (!muted) io.stderr.write(chunk.toString());
      done();
    },
  });
  const rl = createInterface({ input: io.stdin as NodeJS.ReadableStream, output, terminal: true });
  const cancel = new AbortController();
  rl.on("SIGINT", () => cancel.abort());
  try {
    const answer = rl.question(question, { signal: cancel.signal });
    muted = Boolean(options.hidden);
    return await answer;
  } catch (error) {
    if (cancel.signal.aborted) throw new Error("Cancelled.");
    throw error;
  } finally {
    muted = false;
    if (options.hidden) io.stderr.write("\n");
    rl.close();
  }
}
