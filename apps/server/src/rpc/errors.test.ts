import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { errorAnswer, TransportError } from "./errors.ts";

/** A ZodError as a procedure's schema raises it, here for a field named `internalColumn`. */
const zodError = () => {
  const result = z.object({ internalColumn: z.string() }).safeParse({ internalColumn: 1 });
  if (result.success) throw new Error("expected a failure");
  return result.error;
};

describe("errorAnswer", () => {
  it("words invalid input as the router does: 400 with each field's messages", () => {
    const answer = errorAnswer(new TRPCError({ code: "BAD_REQUEST", cause: zodError() }), { requestId: "r1" });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: "BAD_REQUEST", requestId: "r1" });
    expect(Object.keys(answer.body.fieldErrors ?? {})).toEqual(["internalColumn"]);
  });

  it("says nothing of an internal failure, not even the fields of an answer that failed its output schema", () => {
    const answer = errorAnswer(
      new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "Output validation failed", cause: zodError() }),
      { requestId: "r2" },
    );
    expect(answer.status).toBe(500);
    expect(answer.body).toEqual({
      error:
        "Something went wrong on our side. Try again; if it keeps failing, report the X-Request-Id of this answer.",
      code: "INTERNAL_SERVER_ERROR",
      requestId: "r2",
    });
    // Anything thrown that is not a tRPC error is an internal failure too, its message kept out.
    expect(errorAnswer(new Error("relation users does not exist"), { requestId: "r3" }).body.error).not.toContain(
      "relation",
    );
  });

  it("answers the transport's own refusals with their status", () => {
    const answer = errorAnswer(new TransportError(415, "UNSUPPORTED_MEDIA_TYPE", "Send JSON."), { requestId: "r4" });
    expect(answer).toEqual({
      status: 415,
      body: { error: "Send JSON.", code: "UNSUPPORTED_MEDIA_TYPE", requestId: "r4" },
    });
  });
});
