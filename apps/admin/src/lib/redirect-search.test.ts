import { defaultParseSearch } from "@tanstack/react-router";
import { describe, expect, it } from "vitest";
import {
  changePasswordSearch,
  isAppPath,
  redirectSearchSchema,
  safeRedirect,
  signInSearch,
} from "./redirect-search.ts";

/** The sign-in (and change-password) page's search for a URL query, read as the router reads it. */
function redirectSearchOf(query: string) {
  const result = redirectSearchSchema["~standard"].validate(defaultParseSearch(query));
  if (result instanceof Promise || result.issues) throw new Error("the redirect search must never be refused");
  return result.value;
}

describe("the redirect after sign-in or a password change", () => {
  it.each([
    "/",
    "/users?role=admin",
    "/users/42",
    "/audit?from=2024-01-01T00%3A00%3A00.000Z#top",
    "/%2F%2Fevil.example",
  ])("follows the path %j in this app", (path) => {
    expect(isAppPath(path)).toBe(true);
    expect(safeRedirect(path)).toBe(path);
    expect(redirectSearchOf(`?redirect=${encodeURIComponent(path)}`)).toStrictEqual({ redirect: path });
  });

  it.each([
    ["a protocol-relative URL", "//evil.example/users"],
    ["a backslash that browsers read as a slash", "/\\evil.example"],
    ["backslashes only", "/\\\\"],
    ["a tab that URL parsing drops", "/\t/evil.example"],
    ["a newline that URL parsing drops", "/\n/evil.example"],
    ["an absolute URL", "https://evil.example/"],
    ["a javascript: URL", "javascript:alert(1)"],
    ["a relative path", "users"],
    ["an empty string", ""],
  ])("refuses %s (%j), going to / instead", (_, value) => {
    expect(isAppPath(value)).toBe(false);
    expect(safeRedirect(value)).toBe("/");
    expect(redirectSearchOf(`?redirect=${encodeURIComponent(value)}`)).not.toHaveProperty(
      "redirect",
      expect.anything(),
    );
  });

  it.each([42, null, ["/users"], { href: "/users" }])("goes to / for the non-text %j", (value) => {
    expect(safeRedirect(value)).toBe("/");
  });

  it("keeps only the redirect param", () => {
    expect(redirectSearchOf("?redirect=%2Fusers&next=%2F%2Fevil.example")).toStrictEqual({ redirect: "/users" });
  });

  it("sends a visitor back where they were, but never back to the page itself or to /", () => {
    expect(signInSearch("/users?role=admin")).toStrictEqual({ redirect: "/users?role=admin" });
    expect(signInSearch("/")).toStrictEqual({});
    expect(signInSearch("/sign-in?redirect=%2Fusers")).toStrictEqual({});
    expect(changePasswordSearch("/audit")).toStrictEqual({ redirect: "/audit" });
    expect(changePasswordSearch("/change-password")).toStrictEqual({});
  });
});
