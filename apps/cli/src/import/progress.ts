import cliProgress from "cli-progress";
import type { Io } from "../io.ts";

export interface Progress {
  start(total: number): void;
  /** One item is done; `outcome` says how. */
  step(source: string, outcome: string): void;
  stop(): void;
}

/** A bar on a terminal; otherwise one plain line per item (none with `--json`). */
export function createProgress(io: Io, options: { json: boolean }): Progress {
  if (io.stderr.isTTY) return barProgress(io);
  if (options.json) return { start() {}, step() {}, stop() {} };
  let done = 0;
  let total = 0;
  return {
    start(count) {
      total = count;
    },
    step(source, outcome) {
      done++;
      io.stdout.write(`[${done}/${total}] ${source}: ${outcome}\n`);
    },
    stop() {},
  };
}

function barProgress(io: Io): Progress {
  const bar = new cliProgress.SingleBar(
    {
      stream: io.stderr as NodeJS.WritableStream,
      format: "Importing [{bar}] {value}/{total} {source}",
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  return {
    start: (total) => bar.start(total, 0, { source: "" }),
    step: (source) => bar.increment({ source }),
    stop: () => bar.stop(),
  };
}
