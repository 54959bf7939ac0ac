export type { AppRouter, RouterInputs, RouterOutputs } from "@inkwell/api";
export { createInkwellClient, type InkwellClient, type InkwellClientOptions, trpcEndpoint } from "./client.ts";
export {
  type InkwellError,
  type InkwellErrorCode,
  type InkwellErrorDetails,
  inkwellErrorDetails,
  isInkwellError,
} from "./errors.ts";
