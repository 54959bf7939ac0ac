import type { schema } from "@inkwell/db";
import type { TRPCClientError } from "@trpc/client";
import { describe, expectTypeOf, it } from "vitest";
import type { AppRouter, InkwellClient, InkwellErrorCode, RouterInputs, RouterOutputs } from "./index.ts";

// These assertions are checked by `tsc` (`pnpm typecheck`); at run time they are no-ops.
type ArticleRow = typeof schema.articles.$inferSelect;
type Article = RouterOutputs["articles"]["get"];

describe("types flow from the database schema to the client", () => {
  it("gives an article's columns their Drizzle types", () => {
    expectTypeOf<Article["createdAt"]>().toEqualTypeOf<ArticleRow["createdAt"]>();
    expectTypeOf<Article["createdAt"]>().toEqualTypeOf<Date>();
    expectTypeOf<Article["title"]>().toEqualTypeOf<ArticleRow["title"]>();
    expectTypeOf<Article["title"]>().toEqualTypeOf<string>();
    expectTypeOf<Article["body"]>().toEqualTypeOf<ArticleRow["body"]>();
    // @ts-expect-error superjson keeps dates as Date; a string would be a lie
    expectTypeOf<Article["createdAt"]>().toEqualTypeOf<string>();
  });

  it("types procedure inputs and the client's calls", () => {
    expectTypeOf<RouterInputs["articles"]["create"]["title"]>().toEqualTypeOf<string>();
    expectTypeOf<InkwellClient["articles"]["get"]["query"]>().returns.resolves.toEqualTypeOf<Article>();
    expectTypeOf<InkwellClient["auth"]["me"]["query"]>()
      .returns.resolves.toHaveProperty("user")
      .toHaveProperty("createdAt")
      .toEqualTypeOf<Date>();
  });

  it("types server errors", () => {
    expectTypeOf<NonNullable<TRPCClientError<AppRouter>["data"]>["retryAfterSeconds"]>().toEqualTypeOf<
      number | undefined
    >();
    expectTypeOf<"BAD_REQUEST">().toExtend<InkwellErrorCode>();
    // @ts-expect-error not a tRPC error code
    expectTypeOf<"NO_SUCH_CODE">().toExtend<InkwellErrorCode>();
  });
});
