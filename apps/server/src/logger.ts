import pino from "pino";

export type Logger = pino.Logger;

/** JSON lines in production; colourised, readable lines in development. */
export function createLogger(options: { level: string; pretty: boolean }): Logger {
  return pino({
    level: options.level,
    transport: options.pretty ? { target: "pino-pretty", options: { ignore: "pid,hostname" } } : undefined,
  });
}
