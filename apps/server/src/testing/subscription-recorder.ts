/** What a tRPC client's `.subscribe(input, handlers)` takes and returns. */
interface Handlers<T> {
  onStarted(): void;
  onData(value: T): void;
  onError(error: unknown): void;
  onComplete(): void;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `ready` until it holds or `timeoutMs` passes. */
async function until(ready: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await pause(20);
  }
}

/**
 * Records what a subscription delivers, for tests: start it with
 * `record((handlers) => client.x.y.subscribe(input, handlers))`.
 */
export function record<T>(subscribe: (handlers: Handlers<T>) => { unsubscribe(): void }) {
  const items: T[] = [];
  let started = false;
  let ended: { error: unknown } | null = null;
  const subscription = subscribe({
    onStarted: () => {
      started = true;
    },
    onData: (value) => items.push(value),
    onError: (error) => {
      ended = { error };
    },
    onComplete: () => {
      ended ??= { error: null };
    },
  });
  return {
    items,
    /** Resolves once the server has opened the stream. */
    started: (timeoutMs = 10_000) => until(() => started, timeoutMs, "the stream to start"),
    /** The first `count` items, once they have arrived. */
    async first(count: number, timeoutMs = 10_000): Promise<T[]> {
      await until(() => items.length >= count, timeoutMs, `${count} items (have ${items.length})`);
      return items.slice(0, count);
    },
    /** The error that ended the stream (null when it completed without one). */
    async end(timeoutMs = 10_000): Promise<unknown> {
      await until(() => ended !== null, timeoutMs, "the stream to end");
      return ended?.error;
    },
    stop: () => subscription.unsubscribe(),
  };
}
