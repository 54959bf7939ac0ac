import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { summarizeInput } from "./input-summary.ts";

describe("summarizeInput", () => {
  it("redacts secrets at any depth, shortens long text and lists", () => {
    const summary = summarizeInput({
      password: "p",
      nested: { token: "t", apiKey: "k", body: "x".repeat(500) },
      tags: Array.from({ length: 25 }, (_, i) => `t${i}`),
      name: "kept",
    }) as Record<string, unknown>;
    expect(summary.password).toBe("[redacted]");
    expect(summary.nested).toMatchObject({ token: "[redacted]", apiKey: "[redacted]" });
    expect((summary.nested as { body: string }).body).toMatch(/… \(500 chars\)$/);
    expect(summary.tags).toHaveLength(21);
    expect(summary.name).toBe("kept");
  });

  it("stays small and readable whatever the input: many keys, deep nesting, odd values, reserved names", () => {
    const wide = Object.fromEntries(Array.from({ length: 40_000 }, (_, i) => [`k${i}`, { nested: [i, i, i] }]));
    const summary = summarizeInput({ wide, deep: [[[[[["bottom"]]]]]], odd: [10n, Number.NaN, new Date(Number.NaN)] });
    expect(JSON.stringify(summary).length).toBeLessThan(20_000);
    expect(summary).toMatchObject({ odd: ["10", "NaN", "Invalid Date"] });
    const reserved = summarizeInput(JSON.parse('{"constructor":1,"__proto__":{"x":1},"prototype":2}'));
    expect(Object.keys(reserved as object).sort()).toEqual(["[__proto__]", "[constructor]", "[prototype]"]);
    expect(superjson.stringify(reserved)).toContain("[constructor]");
  });
});
