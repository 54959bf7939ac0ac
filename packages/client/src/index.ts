export type { AppRouter, RouterInputs, RouterOutputs } from "@inkwell/api";
export { createInkwellClient, type InkwellClient, type InkwellClientOptions, trpcEndpoint } from "./client.ts";
export type { InkwellError, InkwellErrorCode, InkwellErrorDetails } from "./error-types.ts";
export { inkwellErrorDetails, isInkwellError } from "./errors.ts";
