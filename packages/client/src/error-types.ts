import type { AppRouter } from "@inkwell/api";
import type { TRPCClientError } from "@trpc/client";

/** An error from an Inkwell call: one the server answered, or a network failure (no `data`). */
export type InkwellError = TRPCClientError<AppRouter>;

/** The server's error data, typed from its error formatter. */
export type ServerErrorData = NonNullable<InkwellError["data"]>;

export type InkwellErrorCode = ServerErrorData["code"];

export interface InkwellErrorDetails {
  /** The tRPC code, e.g. `BAD_REQUEST`; null when no server answered (network failure, then `httpStatus` is null too). */
  code: InkwellErrorCode | null;
  httpStatus: number | null;
  /** A message for people: field messages joined for input errors. */
  message: string;
  /** Messages per input field, for forms: `{ title: ["Titles have at most 200 characters."] }`. */
  fieldErrors: Record<string, string[]>;
  /** Seconds to wait before trying again, when the server throttled the call. */
  retryAfterSeconds: number | null;
}
