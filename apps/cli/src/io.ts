/** Where a run of the CLI reads and writes: the real process, or buffers in tests. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface InputStream extends AsyncIterable<string | Uint8Array> {
  isTTY?: boolean;
}

export interface Io {
  stdout: OutputStream;
  stderr: OutputStream;
  stdin: InputStream;
  /** Environment variables; only `config.ts` reads them. Defaults to `process.env`. */
  env?: Record<string, string | undefined>;
}

export function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };
}
