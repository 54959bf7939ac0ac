/** One server-sent event as it came over the wire. */
export interface ServerSentEvent {
  event: string;
  data: string;
  id?: string;
}

/** Parses complete `\n\n`-separated events off the front of `buffer`; returns them and the rest. */
function parseEvents(buffer: string): { events: ServerSentEvent[]; rest: string } {
  const blocks = buffer.split("\n\n");
  const rest = blocks.pop() ?? "";
  const events = blocks
    .map((block) => {
      const event: ServerSentEvent = { event: "message", data: "" };
      for (const line of block.split("\n")) {
        const colon = line.indexOf(":");
        if (colon <= 0) continue;
        const field = line.slice(0, colon);
        const value = line.slice(colon + 1).replace(/^ /, "");
        if (field === "event") event.event = value;
        else if (field === "data") event.data = value;
        else if (field === "id") event.id = value;
      }
      return event;
    })
    .filter((event) => event.data !== "" || event.event !== "message");
  return { events, rest };
}

/**
 * A raw `text/event-stream` response read in the background, as a browser's
 * EventSource would: no client library in between.
 */
export async function openEventStream(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: "text/event-stream", ...headers },
    signal: controller.signal,
  });
  const events: ServerSentEvent[] = [];
  let closed = false;
  const reading = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of response.body) {
        const parsed = parseEvents(buffer + decoder.decode(chunk as Uint8Array, { stream: true }));
        buffer = parsed.rest;
        events.push(...parsed.events);
      }
    } catch {
      // Aborted by close().
    } finally {
      closed = true;
    }
  })();

  async function until<T>(found: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = found();
      if (value !== undefined) return value;
      if (closed) throw new Error(`the stream closed before ${what}; it sent ${JSON.stringify(events)}`);
      if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms; got ${JSON.stringify(events)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  const messages = () => events.filter((event) => event.event === "message");
  let consumed = 0;

  return {
    response,
    events,
    /** The first event matching `predicate`, once it has arrived. */
    waitFor: (predicate: (event: ServerSentEvent) => boolean, timeoutMs = 10_000) =>
      until(() => events.find(predicate), timeoutMs, "matching event"),
    /** The next message carrying data (a tRPC payload), parsed from its superjson envelope. */
    async nextData(timeoutMs = 10_000) {
      const found = await until(() => messages()[consumed], timeoutMs, "data message");
      consumed++;
      return { id: found.id, data: (JSON.parse(found.data) as { json: unknown }).json };
    },
    async close() {
      controller.abort();
      await reading;
    },
  };
}

/** The URL of a tRPC subscription with its input, as httpSubscriptionLink builds it. */
export function subscriptionUrl(baseUrl: string, path: string, input: unknown = {}): string {
  return `${baseUrl}/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
}
