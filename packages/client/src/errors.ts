import type { AppRouter } from "@inkwell/api";
import { TRPCClientError } from "@trpc/client";
import { httpAnswerOf } from "./http-answers.ts";

/** An error from an Inkwell call: one the server answered, or a network failure (no `data`). */
export type InkwellError = TRPCClientError<AppRouter>;

/** The server's error data, typed from its error formatter. */
type ServerErrorData = NonNullable<InkwellError["data"]>;

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

export function isInkwellError(error: unknown): error is InkwellError {
  return error instanceof TRPCClientError;
}

/** The formatter's type for `fieldErrors` is loose (zod's flattened errors of unknown input), so check each entry. */
function presentFieldErrors(data: ServerErrorData | null | undefined): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(data?.fieldErrors ?? {})) {
    if (Array.isArray(messages) && messages.length > 0) fields[field] = messages.map(String);
  }
  return fields;
}

/** Input validation errors arrive with zod's issue list, serialized as JSON, for a message. */
function readableMessage(message: string, fieldErrors: Record<string, string[]>): string {
  const fields = Object.entries(fieldErrors);
  if (fields.length > 0 && message.trimStart().startsWith("[")) {
    return fields.map(([field, messages]) => `${field}: ${messages.join(" ")}`).join("; ");
  }
  return message;
}

/** No server answer to go by: a network failure, or not an Inkwell call's error at all. */
const unanswered = (message: string) => ({ code: null, httpStatus: null, message, retryAfterSeconds: null });

/** What went wrong, in plain fields; works for any thrown value. */
export function inkwellErrorDetails(error: unknown): InkwellErrorDetails {
  if (!isInkwellError(error)) {
    return { fieldErrors: {}, ...unanswered(error instanceof Error ? error.message : String(error)) };
  }
  if (!error.data) {
    return { fieldErrors: {}, ...(httpAnswerOf(error) ?? unanswered(error.message)) };
  }
  const fieldErrors = presentFieldErrors(error.data);
  return {
    code: error.data.code,
    httpStatus: error.data.httpStatus,
    message: readableMessage(error.message, fieldErrors),
    fieldErrors,
    retryAfterSeconds: error.data.retryAfterSeconds ?? null,
  };
}
