import { connect } from "@inkwell/db";
import { createTestDatabase } from "@inkwell/db/testing";
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import {
  CONCURRENT_CHANGE,
  Conflict,
  DATABASE_UNAVAILABLE,
  type DomainError,
  Forbidden,
  Invalid,
  isConcurrencyAbort,
  MissingReference,
  NotFound,
  NotImplemented,
  PreconditionFailed,
  TooManyRequests,
  Unauthorized,
  Unavailable,
} from "./errors.ts";
import { fromDatabaseError, liveStream, toTRPCError } from "./trpc.ts";

/** A PostgreSQL error as drizzle hands it over: the driver's error in `cause`. */
const postgresError = (code: string, constraint_name?: string) =>
  Object.assign(new Error("Failed query"), { cause: Object.assign(new Error("driver"), { code, constraint_name }) });

describe("toTRPCError", () => {
  it.each<[DomainError, TRPCError["code"]]>([
    [new Invalid("bad"), "BAD_REQUEST"],
    [new Unauthorized("who?"), "UNAUTHORIZED"],
    [new Forbidden("no"), "FORBIDDEN"],
    [new NotFound("article", "gone"), "NOT_FOUND"],
    [new MissingReference("vanished"), "NOT_FOUND"],
    [new Conflict("taken"), "CONFLICT"],
    [new PreconditionFailed("not yet"), "PRECONDITION_FAILED"],
    [new TooManyRequests("slow down", 1500), "TOO_MANY_REQUESTS"],
    [new NotImplemented("not here"), "NOT_IMPLEMENTED"],
    [new Unavailable("later"), "SERVICE_UNAVAILABLE"],
  ])("maps %s to %s, with its message and itself as the cause", (domain, code) => {
    const mapped = toTRPCError(domain);
    expect(mapped).toBeInstanceOf(TRPCError);
    expect(mapped).toMatchObject({ code, message: domain.message });
    expect(mapped?.cause).toBe(domain);
  });

  it("maps a domain error tRPC wrapped as an internal error, as middleware receives it", () => {
    const domain = new Forbidden("Only the author can edit this article.");
    const wrapped = new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: domain });
    expect(toTRPCError(wrapped)).toMatchObject({ code: "FORBIDDEN", message: domain.message, cause: domain });
  });

  it("keeps what the REST facade and the error formatter read: fields, resource, name, seconds", () => {
    expect(new Invalid("Too long.", "title").fields).toEqual({ title: ["Too long."] });
    expect(new Conflict("Taken.", { name: ["Taken."], slug: ["Also taken."] }).fields).toEqual({
      name: ["Taken."],
      slug: ["Also taken."],
    });
    expect(new Forbidden("No.").fields).toBeUndefined();
    const missing = new NotFound("profile", 'No user named "x".');
    expect(missing).toMatchObject({ name: "NotFound", resource: "profile" });
    expect(new MissingReference("gone").name).not.toBe("NotFound");
    expect(new TooManyRequests("wait", 1500)).toMatchObject({ name: "RetryAfter", seconds: 2 });
    expect(new TooManyRequests("wait", 10).seconds).toBe(1);
  });

  it("leaves anything else alone: a bug is answered 500", () => {
    expect(toTRPCError(new Error("bug"))).toBeNull();
    expect(toTRPCError(new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: new TypeError("x") }))).toBeNull();
    expect(toTRPCError(new TRPCError({ code: "FORBIDDEN", message: "from a builder" }))).toBeNull();
  });
});

describe("fromDatabaseError", () => {
  it("names the field of a known unique constraint, and says CONFLICT for others", () => {
    const known = fromDatabaseError(postgresError("23505", "users_email_lower_key"));
    expect(known).toMatchObject({ code: "CONFLICT", message: "This email is already registered." });
    expect(known?.cause).toMatchObject({ fields: { email: ["This email is already registered."] } });
    const unknown = fromDatabaseError(postgresError("23505", "some_other_key"));
    expect(unknown).toMatchObject({ code: "CONFLICT", message: "This already exists." });
    expect(unknown?.cause).toBeInstanceOf(Conflict);
    expect((unknown?.cause as DomainError | undefined)?.fields).toBeUndefined();
  });

  it("answers a vanished reference NOT_FOUND without naming a resource, malformed values BAD_REQUEST", () => {
    const vanished = fromDatabaseError(postgresError("23503"));
    expect(vanished).toMatchObject({ code: "NOT_FOUND", message: "Something this refers to no longer exists." });
    expect(vanished?.cause).toBeInstanceOf(MissingReference);
    for (const code of ["22P02", "22003", "22001"]) {
      expect(fromDatabaseError(postgresError(code))).toMatchObject({
        code: "BAD_REQUEST",
        message: "A value is malformed or out of range.",
      });
    }
  });

  it("answers an unreachable database with a retryable SERVICE_UNAVAILABLE", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    expect(fromDatabaseError(refused)).toMatchObject({ code: "SERVICE_UNAVAILABLE", message: DATABASE_UNAVAILABLE });
  });

  it("answers a transaction PostgreSQL undid for a deadlock with a retryable SERVICE_UNAVAILABLE, cause kept", async () => {
    const database = await createTestDatabase({ maxConnections: 2 });
    const other = connect({ url: database.url, maxConnections: 1 });
    try {
      await database.sql`create table pair (id int primary key)`;
      await database.sql`insert into pair values (1), (2)`;
      // Two transactions lock the same two rows in opposite orders: PostgreSQL undoes one of them.
      let bothHoldOne = () => {};
      let held = 0;
      const second = new Promise<void>((resolve) => {
        bothHoldOne = resolve;
      });
      const lockInOrder = (sql: typeof database.sql, first: number, then: number) =>
        sql.begin(async (tx) => {
          await tx`select 1 from pair where id = ${first} for update`;
          if (++held === 2) bothHoldOne();
          await second;
          await tx`select 1 from pair where id = ${then} for update`;
        });
      const results = await Promise.allSettled([lockInOrder(database.sql, 1, 2), lockInOrder(other.sql, 2, 1)]);
      const failure = results.find((result) => result.status === "rejected")?.reason;
      expect(results.filter((result) => result.status === "rejected")).toHaveLength(1);
      expect(isConcurrencyAbort(failure)).toBe(true);
      const answered = fromDatabaseError(failure);
      expect(answered).toMatchObject({ code: "SERVICE_UNAVAILABLE", message: CONCURRENT_CHANGE });
      expect(answered?.cause).toBeInstanceOf(Unavailable);
      expect(isConcurrencyAbort(answered)).toBe(true);
      expect(isConcurrencyAbort(fromDatabaseError(postgresError("40001")))).toBe(true);
      expect(isConcurrencyAbort(new Unavailable(DATABASE_UNAVAILABLE))).toBe(false);
    } finally {
      await other.close();
      await database.drop();
    }
  });

  it("ignores other failures, domain errors included (they are not the database's)", () => {
    expect(fromDatabaseError(postgresError("42P01"))).toBeNull();
    expect(fromDatabaseError(new Error("bug"))).toBeNull();
    expect(fromDatabaseError(new Forbidden("no"))).toBeNull();
  });
});

describe("liveStream", () => {
  async function* failingAfter<T>(items: T[], error: unknown) {
    yield* items;
    throw error;
  }

  it("passes items on, then maps the failure that ends the stream", async () => {
    const received: number[] = [];
    const ending = new Unavailable("This server is shutting down; reconnect to resume.");
    const error = await (async () => {
      for await (const item of liveStream(failingAfter([1, 2], ending))) received.push(item);
    })().catch((caught: unknown) => caught);
    expect(received).toEqual([1, 2]);
    expect(error).toMatchObject({ code: "SERVICE_UNAVAILABLE", message: ending.message, cause: ending });
  });

  it("rethrows an unexpected failure as it is", async () => {
    const bug = new TypeError("bug");
    const error = await (async () => {
      for await (const _ of liveStream(failingAfter([], bug))) {
        // nothing
      }
    })().catch((caught: unknown) => caught);
    expect(error).toBe(bug);
  });

  it("ends the source when the reader stops early", async () => {
    let ended = false;
    async function* source() {
      try {
        yield 1;
        yield 2;
      } finally {
        ended = true;
      }
    }
    for await (const _ of liveStream(source())) break;
    expect(ended).toBe(true);
  });
});
