import { defaultParseSearch } from "@tanstack/react-router";
import { describe, expect, it } from "vitest";
import { articlesSearchSchema } from "../../routes/articles/search.ts";
import { commentsSearchSchema } from "../../routes/comments/search.ts";
import { toContentFilter } from "./content-filter.ts";

function articlesSearch(query: string) {
  const result = articlesSearchSchema["~standard"].validate(defaultParseSearch(query));
  if (result instanceof Promise || result.issues) throw new Error("refused");
  return result.value;
}

describe("the moderation tables' filters in the URL", () => {
  it("keep author, tag, days and the count sorts", () => {
    expect(
      articlesSearch("?author=%20Ann%20&tag=rust&from=2024-01-31&to=2024-02-29&sort=favoritesCount&direction=asc"),
    ).toStrictEqual({
      page: 1,
      pageSize: 20,
      sort: "favoritesCount",
      direction: "asc",
      author: "Ann",
      tag: "rust",
      from: "2024-01-31",
      to: "2024-02-29",
    });
  });

  it("drop days that are not days and cut long text, instead of failing", () => {
    for (const day of ["2023-02-29", "2024-13-01", "1969-12-31", "24-01-01", "2024-1-1", "yesterday", "20240101"]) {
      // An invalid value reads as `undefined`, which the router leaves out of the URL.
      expect(articlesSearch(`?from=${day}&to=${day}`), day).toMatchObject({ from: undefined, to: undefined });
    }
    expect(articlesSearch(`?tag=${"t".repeat(300)}&author=${"a".repeat(300)}`)).toMatchObject({
      tag: "t".repeat(40),
      author: "a".repeat(40),
    });
    const result = commentsSearchSchema["~standard"].validate(defaultParseSearch("?tag=x&from=2024-02-30&sort=title"));
    if (result instanceof Promise || result.issues) throw new Error("refused");
    expect(result.value).toEqual({ page: 1, pageSize: 20, tag: "x" });
  });
});

describe("toContentFilter", () => {
  it("turns days into the first and last moment of the local days, reading a backwards range forwards", () => {
    const filter = toContentFilter({ author: "ann", from: "2024-03-10", to: "2024-03-01" });
    expect(filter.author).toBe("ann");
    expect(filter.createdFrom).toEqual(new Date(2024, 2, 1, 0, 0, 0, 0));
    expect(filter.createdTo).toEqual(new Date(2024, 2, 10, 23, 59, 59, 999));
    expect(toContentFilter({})).toEqual({
      state: undefined,
      search: undefined,
      author: undefined,
      tag: undefined,
      createdFrom: undefined,
      createdTo: undefined,
    });
  });

  // In UTC the first and last days end exactly on the API's bounds: only a zone either side of it shows the clamp.
  // The test is synchronous, so no other test runs while the zone is changed (Node rereads TZ when it is set).
  it("keeps the ends within what the API accepts, in zones whose days reach past them", () => {
    const zone = process.env.TZ;
    try {
      process.env.TZ = "Asia/Tokyo"; // 1970-01-01 begins at 1969-12-31T15:00Z there
      expect(new Date("1970-01-01T00:00:00").getTime()).toBeLessThan(Date.UTC(1970, 0, 1));
      expect(toContentFilter({ from: "1970-01-01" }).createdFrom).toEqual(new Date(Date.UTC(1970, 0, 1)));
      process.env.TZ = "Pacific/Pago_Pago"; // 9999-12-31 ends at 10000-01-01T10:59Z there
      expect(toContentFilter({ to: "9999-12-31" }).createdTo).toEqual(
        new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999)),
      );
      // A day well inside the bounds keeps the zone's own midnight.
      expect(toContentFilter({ from: "2024-03-01" }).createdFrom).toEqual(new Date("2024-03-01T00:00:00-11:00"));
    } finally {
      if (zone === undefined) Reflect.deleteProperty(process.env, "TZ");
      else process.env.TZ = zone;
    }
  });
});
