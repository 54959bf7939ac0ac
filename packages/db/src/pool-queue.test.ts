import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * postgres.js keeps its pool's connections and waiting queries in `src/queue.js`, which Inkwell patches
 * (patches/postgres@3.4.9.patch, BENCHMARKS.md finding 14): unpatched, a pool under steady load slowed down the
 * longer it ran. The speed is the bench's to show; here, that the patched queue is the one installed and that it
 * still behaves as a queue.
 */
interface Queue<T> {
  readonly length: number;
  push(item: T): T;
  shift(): T | undefined;
  remove(item: T): T | null;
}

const packageEntry = createRequire(import.meta.url).resolve("postgres");
const queueFile = join(dirname(packageEntry), "..", "..", "src", "queue.js");
const { default: Queue } = (await import(pathToFileURL(queueFile).href)) as {
  default: <T>(initial?: T[]) => Queue<T>;
};

/** A deterministic stream of numbers in [0, 1), so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

describe("postgres.js pool queue (patched)", () => {
  it("is the patched queue", async () => {
    const { readFile } = await import("node:fs/promises");
    expect(await readFile(queueFile, "utf8")).toContain("Inkwell's patch");
  });

  it("answers like an array used as a queue over 100,000 random pushes, shifts and removals", () => {
    const next = random(42);
    const queue = Queue<number>();
    const model: number[] = [];
    const mismatches: string[] = [];
    const check = (step: number, what: string, got: unknown, want: unknown) => {
      if (got !== want && mismatches.length < 5) mismatches.push(`step ${step}, ${what}: ${got} instead of ${want}`);
    };
    let counter = 0;
    for (let step = 0; step < 100_000; step++) {
      const roll = next();
      // Mostly short queues, as a pool's are, with bursts that leave many items behind.
      if (roll < 0.45 || model.length === 0) {
        model.push(counter);
        check(step, "push", queue.push(counter), counter);
        counter++;
      } else if (roll < 0.8) {
        check(step, "shift", queue.shift(), model.shift());
      } else {
        const item = next() < 0.8 ? (model[Math.floor(next() * model.length)] as number) : -1 - step;
        const at = model.indexOf(item);
        if (at !== -1) model.splice(at, 1);
        check(step, "remove", queue.remove(item), at === -1 ? null : item);
      }
      check(step, "length", queue.length, model.length);
    }
    expect(mismatches).toEqual([]);
  });

  it("starts from the items it is given and never hands out one it no longer holds", () => {
    const queue = Queue(["a", "b", "c"]);
    expect(queue.remove("b")).toBe("b");
    expect(queue.shift()).toBe("a");
    expect(queue.remove("a")).toBeNull();
    expect(queue.shift()).toBe("c");
    expect(queue.length).toBe(0);
    expect(queue.shift()).toBeUndefined();
    expect(queue.length).toBe(0);
    queue.push("d");
    expect(queue.length).toBe(1);
    expect(queue.shift()).toBe("d");
  });
});
