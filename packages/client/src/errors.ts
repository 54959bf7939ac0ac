import { TRPCClientError } from "@trpc/client";
import type { InkwellError, InkwellErrorDetails, ServerErrorData } from "./error-types.ts";
import { httpAnswerOf } from "./http-answers.ts";

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
