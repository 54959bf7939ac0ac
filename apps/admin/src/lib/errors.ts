import type { AppRouter } from "@inkwell/api";
import { TRPCClientError } from "@trpc/client";

type ApiError = TRPCClientError<AppRouter>;

function apiError(error: unknown): ApiError | null {
  return error instanceof TRPCClientError ? (error as ApiError) : null;
}

/** The tRPC error code ("UNAUTHORIZED", "CONFLICT", …), if the server sent one. */
export function errorCode(error: unknown): string | undefined {
  return apiError(error)?.data?.code;
}

/** True for errors the caller caused (4xx): retrying will not help. */
export function isClientError(error: unknown): boolean {
  const status = apiError(error)?.data?.httpStatus;
  return status !== undefined && status >= 400 && status < 500;
}

/** Field → messages, for showing next to form fields. */
export function fieldErrors(error: unknown): Record<string, string[] | undefined> {
  return apiError(error)?.data?.fieldErrors ?? {};
}

/** The first message about `field`, or undefined. */
export function fieldError(error: unknown, field: string): string | undefined {
  return fieldErrors(error)[field]?.[0];
}

export function retryAfterSeconds(error: unknown): number | undefined {
  return apiError(error)?.data?.retryAfterSeconds ?? undefined;
}

/** What to tell a person: the server's message, or the field messages when input was invalid. */
export function errorMessage(error: unknown): string {
  const fields = Object.values(fieldErrors(error)).flat();
  if (errorCode(error) === "BAD_REQUEST" && fields.length > 0) return fields.join(" ");
  if (error instanceof TRPCClientError && !error.data) {
    return error.message === "Failed to fetch" ? "Could not reach the server. Check your connection." : error.message;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
