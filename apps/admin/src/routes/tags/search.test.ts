import { defaultParseSearch } from "@tanstack/react-router";
import { describe, expect, it } from "vitest";
import { tagsSearchSchema } from "./search.ts";

/** The tags page's search for a URL query, read the way the router reads it: parsed, then validated. */
function searchOf(query: string) {
  const result = tagsSearchSchema["~standard"].validate(defaultParseSearch(query));
  if (result instanceof Promise) throw new Error("the router cannot wait for an async schema");
  if (result.issues) throw new Error(`refused: ${JSON.stringify(result.issues)}`);
  return result.value;
}

const defaults = { page: 1, pageSize: 20, sort: "articleCount", direction: "desc" };

describe("the tags table's search params", () => {
  it("are 20 rows by most articles when the URL says nothing", () => {
    expect(searchOf("")).toStrictEqual(defaults);
  });

  it("keep every valid value", () => {
    expect(searchOf("?page=2&pageSize=50&sort=name&direction=asc&filter=rust")).toStrictEqual({
      page: 2,
      pageSize: 50,
      sort: "name",
      direction: "asc",
      filter: "rust",
    });
  });

  it("fall back, field by field, on anything typed by hand", () => {
    expect(
      searchOf(`?page=-1&pageSize=7&sort=id&direction=up&filter=${encodeURIComponent(`  ${"x".repeat(60)} `)}`),
    ).toStrictEqual({ ...defaults, filter: "x".repeat(40) });
    expect(searchOf("?filter=%20%20")).toEqual(defaults);
    expect(searchOf("?filter=%20%20").filter).toBeUndefined();
    expect(searchOf("?filter=42").filter).toBe("42");
    expect(searchOf('?page="3"').page).toBe(3);
  });
});
