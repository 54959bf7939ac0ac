import pino from "pino";

export type Logger = pino.Logger;

/**
 * Paths that may hold secrets in anything we log. Request lines never carry
 * headers or bodies; errors can carry the parameters of a failed query.
 */
const REDACTED = [
  "password",
  "*.password",
  "token",
  "*.token",
  "authorization",
  "*.authorization",
  "cookie",
  "*.cookie",
  "err.params",
  "err.cause.params",
  "err.parameters",
  "err.cause.parameters",
  "err.args",
  "err.cause.args",
];

/** JSON lines in production; colourised, readable lines in development. */
export function createLogger(options: {
  level: string;
  pretty: boolean;
  destination?: pino.DestinationStream;
}): Logger {
  const settings: pino.LoggerOptions = {
    level: options.level,
    redact: { paths: REDACTED, censor: "[redacted]" },
    transport:
      options.pretty && !options.destination
        ? { target: "pino-pretty", options: { ignore: "pid,hostname" } }
        : undefined,
  };
  if (options.destination) return pino(settings, options.destination);
  if (settings.transport) return pino(settings);
  // Written asynchronously, never held back: a line goes out as soon as the previous write is done, and lines that
  // arrive meanwhile go out together. A synchronous write per request line cost the request path a system call
  // each (BENCHMARKS.md, finding 8). pino flushes what is left when the process exits.
  return pino(settings, pino.destination({ dest: 1, sync: false, minLength: 0 }));
}
