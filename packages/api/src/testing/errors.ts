import { TRPCError } from "@trpc/server";
import { expect } from "vitest";

/** Awaits `promise`, expecting a TRPCError with `code`; returns it for further checks. */
export async function expectTRPCError(promise: Promise<unknown>, code: TRPCError["code"]): Promise<TRPCError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected ${code}, but the call succeeded`);
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code, (error as TRPCError).message).toBe(code);
  return error as TRPCError;
}
