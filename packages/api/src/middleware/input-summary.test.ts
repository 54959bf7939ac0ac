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
});
