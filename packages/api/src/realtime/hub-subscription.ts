/**
 * What a stream receives from the hub: an event; `missed` when its queue
 * overflowed (or the hub lost events) and it must catch up from the
 * database; `recheck` when it is time to re-check its caller.
 */
export type HubMessage<E> = { kind: "event"; event: E } | { kind: "missed" } | { kind: "recheck" };

/**
 * One stream's queue of hub messages, read as an async iterator. Bounded: a
 * reader that falls `limit` messages behind loses the queue and gets one
 * `missed` instead, so a slow client costs a fixed amount of memory.
 * Ends when `signal` aborts or `end()` is called; `fail(error)` makes the
 * reader throw.
 */
export class HubSubscription<E> implements AsyncIterableIterator<HubMessage<E>> {
  private readonly queue: HubMessage<E>[] = [];
  private readonly ended = new AbortController();
  private waiting: ((result: IteratorResult<HubMessage<E>>) => void) | null = null;
  private waitingFailed: ((error: unknown) => void) | null = null;
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly limit: number,
    signal?: AbortSignal,
  ) {
    if (signal?.aborted) this.end();
    else signal?.addEventListener("abort", () => this.end(), { once: true, signal: this.ended.signal });
  }

  /** Aborted once the subscription has ended, for timers and listeners tied to it. */
  get signal(): AbortSignal {
    return this.ended.signal;
  }

  get closed(): boolean {
    return this.ended.signal.aborted;
  }

  push(message: HubMessage<E>): void {
    if (this.closed) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.clearWaiter();
      resolve({ value: message, done: false });
      return;
    }
    if (this.queue.length >= this.limit) {
      this.queue.length = 0;
      this.queue.push({ kind: "missed" });
      return;
    }
    this.queue.push(message);
  }

  /** Ends the subscription; the reader throws `error` at its next read. */
  fail(error: unknown): void {
    if (this.closed) return;
    this.failure = { error };
    const reject = this.waitingFailed;
    this.end();
    reject?.(error);
  }

  end(): void {
    if (this.closed) return;
    this.queue.length = 0;
    const resolve = this.failure ? null : this.waiting;
    this.clearWaiter();
    this.ended.abort();
    resolve?.({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<HubMessage<E>>> {
    const message = this.queue.shift();
    if (message) return Promise.resolve({ value: message, done: false });
    if (this.failure) return Promise.reject(this.failure.error);
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.waitingFailed = reject;
    });
  }

  return(): Promise<IteratorResult<HubMessage<E>>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private clearWaiter(): void {
    this.waiting = null;
    this.waitingFailed = null;
  }
}
