import { defaultParseSearch } from "@tanstack/react-router";
import { describe, expect, it } from "vitest";
import type { z } from "zod/mini";
import { articlesSearchSchema } from "../routes/articles/search.ts";
import { auditSearchSchema } from "../routes/audit/search.ts";
import { commentsSearchSchema } from "../routes/comments/search.ts";
import { usersSearchSchema } from "../routes/users/search.ts";

/** What a route's search is for a URL query, read the way the router reads it: parsed, then validated. */
function searchOf<T extends z.ZodMiniType>(schema: T, query: string): z.output<T> {
  const result = schema["~standard"].validate(defaultParseSearch(query));
  if (result instanceof Promise) throw new Error("the router cannot wait for an async schema");
  if (result.issues) throw new Error(`refused: ${JSON.stringify(result.issues)}`);
  return result.value as z.output<T>;
}

const usersDefaults = { page: 1, pageSize: 20, sort: "createdAt", direction: "desc" };

describe("the users table's search params", () => {
  it("are the defaults when the URL says nothing", () => {
    expect(searchOf(usersSearchSchema, "")).toStrictEqual(usersDefaults);
  });

  it("keep every valid value, typed", () => {
    expect(
      searchOf(
        usersSearchSchema,
        "?page=3&pageSize=50&sort=username&direction=asc&role=moderator&status=suspended&search=ann",
      ),
    ).toStrictEqual({
      page: 3,
      pageSize: 50,
      sort: "username",
      direction: "asc",
      role: "moderator",
      status: "suspended",
      search: "ann",
    });
  });

  it("read a quoted number as the number and a numeric search as text", () => {
    // The router writes the text "42" as `"42"` so that it reads back as text.
    expect(searchOf(usersSearchSchema, '?page="2"&pageSize="10"&search=42')).toMatchObject({
      page: 2,
      pageSize: 10,
      search: "42",
    });
  });

  it.each([
    ["a page below 1", "?page=0", { page: 1 }],
    ["a negative page", "?page=-4", { page: 1 }],
    ["a fractional page", "?page=1.5", { page: 1 }],
    ["a page past 100,000", "?page=100001", { page: 1 }],
    ["a page that is not a number", "?page=abc", { page: 1 }],
    ["an empty quoted page", '?page=""', { page: 1 }],
    ["a page given as an object", `?page=${encodeURIComponent('{"n":2}')}`, { page: 1 }],
    ["a page given as a list", "?page=%5B2%5D", { page: 1 }],
    ["a page size not offered", "?pageSize=30", { pageSize: 20 }],
    ["a page size above the server's limit", "?pageSize=1000", { pageSize: 20 }],
    ["a column the table cannot sort by", "?sort=passwordHash", { sort: "createdAt" }],
    ["a sort key in the wrong case", "?sort=Username", { sort: "createdAt" }],
    ["a direction other than asc or desc", "?direction=up", { direction: "desc" }],
  ])("fall back to the default for %s", (_, query, expected) => {
    expect(searchOf(usersSearchSchema, query)).toStrictEqual({ ...usersDefaults, ...expected });
  });

  it.each([
    ["an unknown role", "?role=root"],
    ["a role given as a list", `?role=${encodeURIComponent('["admin"]')}`],
    ["an unknown status", "?status=deleted"],
    ["a search of spaces", "?search=%20%20%20"],
    ["a search given as an object", `?search=${encodeURIComponent('{"$ne":null}')}`],
  ])("drop %s", (_, query) => {
    const search = searchOf(usersSearchSchema, query);
    expect([search.role, search.status, search.search]).toStrictEqual([undefined, undefined, undefined]);
    expect(search).toMatchObject(usersDefaults);
  });

  it("trim a search and cut it to the server's 100 characters", () => {
    expect(searchOf(usersSearchSchema, `?search=${encodeURIComponent(`  ${"x".repeat(150)}  `)}`).search).toBe(
      "x".repeat(100),
    );
  });

  it("drop params the table does not know, however they are named", () => {
    const search = searchOf(usersSearchSchema, "?admin=true&__proto__=x&constructor=y&page=2");
    expect(search).toStrictEqual({ ...usersDefaults, page: 2 });
    expect(Object.getPrototypeOf(search)).toBe(Object.prototype);
  });
});

describe("the moderation tables' search params", () => {
  it("keep the articles' sort, direction and state, and fall back for the rest", () => {
    expect(searchOf(articlesSearchSchema, "?sort=title&direction=asc&state=hidden&page=0")).toStrictEqual({
      page: 1,
      pageSize: 20,
      sort: "title",
      direction: "asc",
      state: "hidden",
    });
    // An invalid filter reads as `undefined`, which the router leaves out of the URL.
    expect(searchOf(articlesSearchSchema, "?sort=author&state=deleted")).toEqual({
      page: 1,
      pageSize: 20,
      sort: "createdAt",
      direction: "desc",
    });
  });

  it("keep the comments' state and search, and know no sort", () => {
    expect(searchOf(commentsSearchSchema, "?state=visible&search=%20spam%20&sort=title&pageSize=100")).toStrictEqual({
      page: 1,
      pageSize: 100,
      state: "visible",
      search: "spam",
    });
  });
});

describe("the audit log's search params", () => {
  it("are empty when the URL says nothing", () => {
    expect(searchOf(auditSearchSchema, "")).toStrictEqual({});
  });

  it("keep an actor id, texts and times, times as ISO strings", () => {
    expect(
      searchOf(
        auditSearchSchema,
        "?actorId=7&action=users.suspend&targetType=user&targetId=12&from=2024-01-02&to=2024-01-03T10%3A00%3A00%2B02%3A00",
      ),
    ).toStrictEqual({
      actorId: 7,
      action: "users.suspend",
      targetType: "user",
      targetId: "12",
      from: "2024-01-02T00:00:00.000Z",
      to: "2024-01-03T08:00:00.000Z",
    });
  });

  it.each([
    ["actor id 0", "?actorId=0", "actorId"],
    ["an actor id past PostgreSQL's integer", "?actorId=2147483648", "actorId"],
    ["an actor id that is not a number", "?actorId=me", "actorId"],
    ["a time that is not one", "?from=yesterday", "from"],
    ["a time given as a bare number", "?to=2024", "to"],
    ["an empty action", '?action=""', "action"],
  ])("drop %s", (_, query, field) => {
    expect(searchOf(auditSearchSchema, query)).not.toHaveProperty(field, expect.anything());
  });

  it("cut a target type to 50 characters and other texts to 100", () => {
    const long = "t".repeat(120);
    expect(searchOf(auditSearchSchema, `?targetType=${long}&targetId=${long}`)).toMatchObject({
      targetType: "t".repeat(50),
      targetId: "t".repeat(100),
    });
  });
});
