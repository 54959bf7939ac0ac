import type { Context, MiddlewareHandler } from "hono";

/** A body that calls `done` once, when it has been read to the end, failed, or was cancelled (the client left). */
function releasingWhenDone(body: ReadableStream<Uint8Array>, done: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: ended, value } = await reader.read();
        if (ended) {
          done();
          controller.close();
        } else {
          controller.enqueue(value);
        }
      } catch (error) {
        done();
        controller.error(error);
      }
    },
    cancel(reason) {
      done();
      return reader.cancel(reason);
    },
  });
}

/**
 * At most `perAddress` live streams (server-sent events) open at once per
 * client address on this process; 0 turns the cap off. Each stream holds
 * memory and a subscription until its client leaves, so one address cannot
 * hold thousands. Beyond the cap: 429. A slot frees when its stream ends,
 * whichever side ends it.
 */
export function liveStreamCap(options: {
  perAddress: number;
  address(c: Context): string;
  /** Whether the request opens a stream. */
  isStream(c: Context): boolean;
}): MiddlewareHandler {
  const open = new Map<string, number>();
  return async (c, next) => {
    if (options.perAddress === 0 || !options.isStream(c)) return next();
    const address = options.address(c);
    const held = open.get(address) ?? 0;
    if (held >= options.perAddress) {
      return c.json(
        {
          error: `Too many live streams from your address: at most ${options.perAddress} may be open at once. Close one and retry.`,
        },
        429,
      );
    }
    open.set(address, held + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    };
    try {
      await next();
    } catch (error) {
      release();
      throw error;
    }
    const body = c.res.body;
    if (!body) release();
    else c.res = new Response(releasingWhenDone(body, release), c.res);
  };
}
