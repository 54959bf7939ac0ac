import { httpSubscriptionLink } from "@trpc/client";
import { EventSource as FetchEventSource, type FetchLike } from "eventsource";
import superjson from "superjson";

type HeaderRecord = Record<string, string>;

/** A WHATWG EventSource constructor: the browser's, or a package's such as `eventsource`. */
export type EventSourceConstructor = typeof FetchEventSource;

export interface SubscriptionTransport {
  url: string;
  /** The session token or API key, if any. */
  bearer: string | undefined;
  headers: () => Promise<HeaderRecord>;
  fetch?: typeof fetch;
  /** A given implementation, else the runtime's; without either (Node.js 20), the `eventsource` package. */
  EventSource?: EventSourceConstructor;
}

/**
 * Subscriptions over server-sent events. A browser's EventSource cannot
 * send headers, so the credential goes as a connection parameter (in the
 * URL, which the server never logs). In Node.js the `eventsource` package
 * sends it in the Authorization header like every other call.
 */
export function subscriptionLink(transport: SubscriptionTransport) {
  const { url, bearer } = transport;
  const runtimeEventSource =
    transport.EventSource ?? (globalThis as unknown as { EventSource?: EventSourceConstructor }).EventSource;
  if (runtimeEventSource) {
    return httpSubscriptionLink({
      url,
      transformer: superjson,
      EventSource: runtimeEventSource,
      connectionParams: bearer ? { token: bearer } : undefined,
    });
  }

  const send = transport.fetch ?? fetch;
  const fetchWithHeaders: FetchLike = async (input, init) =>
    send(input, { ...init, headers: { ...(await transport.headers()), ...init.headers } });
  return httpSubscriptionLink({
    url,
    transformer: superjson,
    EventSource: FetchEventSource,
    eventSourceOptions: { fetch: fetchWithHeaders },
  });
}
