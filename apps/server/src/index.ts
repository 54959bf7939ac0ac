export { type AppOptions, createApp } from "./app.ts";
export { createLogger, type Logger } from "./logger.ts";
export { type RunningServer, type StartOptions, startServer } from "./server.ts";
