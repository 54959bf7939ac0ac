/**
 * Reads a live stream item by item with deadlines. A read that times out
 * stays pending and is reused by the next read, so no item is lost between reads.
 */
export function streamReader<S, T = S>(stream: AsyncIterable<S>, map: (item: S) => T = (item) => item as unknown as T) {
  const iterator = stream[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<T>> | null = null;

  async function read(timeoutMs: number): Promise<IteratorResult<T> | "timeout"> {
    pending ??= iterator.next().then((result) => (result.done ? result : { done: false, value: map(result.value) }));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    try {
      const result = await Promise.race([pending, timeout]);
      if (result !== "timeout") pending = null;
      return result;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    /** The next item; fails when the stream ends or nothing comes within `timeoutMs`. */
    async next(timeoutMs = 5_000): Promise<T> {
      const result = await read(timeoutMs);
      if (result === "timeout") throw new Error(`no item within ${timeoutMs} ms`);
      if (result.done) throw new Error("the stream ended");
      return result.value;
    },
    /** The next `count` items. */
    async take(count: number, timeoutMs = 5_000): Promise<T[]> {
      const items: T[] = [];
      for (let i = 0; i < count; i++) items.push(await this.next(timeoutMs));
      return items;
    },
    /** True when no item arrives within `ms` (and the stream is still open). */
    async quietFor(ms: number): Promise<boolean> {
      const result = await read(ms);
      if (result === "timeout") return true;
      if (result.done) throw new Error("the stream ended");
      throw new Error(`unexpected item: ${JSON.stringify(result.value)}`);
    },
    /** What ended the stream (the thrown error, or "done"); fails if an item or nothing comes first. */
    async end(timeoutMs = 5_000): Promise<unknown> {
      let result: Awaited<ReturnType<typeof read>>;
      try {
        result = await read(timeoutMs);
      } catch (error) {
        pending = null;
        return error;
      }
      if (result === "timeout") throw new Error(`the stream did not end within ${timeoutMs} ms`);
      if (!result.done) throw new Error(`unexpected item: ${JSON.stringify(result.value)}`);
      return "done";
    },
  };
}

type Tracked<T> = { id: string; data: T };

/**
 * `createCaller` hands out a tracked item as tRPC's envelope, `[id, data]`,
 * though it types it as over the wire, `{ id, data }`; this reads either.
 */
export function untracked<T>(item: Tracked<T>): Tracked<T> {
  if (!Array.isArray(item)) return item;
  const [id, data] = item as unknown as [string, T];
  return { id, data };
}

/** `streamReader` for a stream of tracked items. */
export function trackedReader<T>(stream: AsyncIterable<Tracked<T>>) {
  return streamReader(stream, untracked);
}
