import type { AppRouter } from "@inkwell/api";
import { createTRPCClient, httpBatchLink, splitLink, type TRPCClient } from "@trpc/client";
import superjson from "superjson";
import { readYourWrites } from "./read-your-writes.ts";
import { type EventSourceConstructor, subscriptionLink } from "./subscriptions.ts";

export type InkwellClient = TRPCClient<AppRouter>;

type HeaderRecord = Record<string, string>;

export interface InkwellClientOptions {
  /** The server's address, e.g. `https://inkwell.example.com`; procedures live under `/trpc`. */
  url: string;
  /** An API key (`inkwell keys create`); sent as `Authorization: Bearer …`. */
  apiKey?: string;
  /** A session token from `auth.signIn({ …, session: "token" })`; sent the same way. */
  token?: string;
  /** A fetch implementation for runtimes without one, or to observe requests. */
  fetch?: typeof fetch;
  /** Extra headers for every request, or a function computing them per request. */
  headers?: HeaderRecord | (() => HeaderRecord | Promise<HeaderRecord>);
  /**
   * An EventSource implementation for subscriptions; default: the runtime's
   * (browsers), else the `eventsource` package (Node.js).
   */
  EventSource?: EventSourceConstructor;
}

/** The tRPC endpoint for a server address, with or without a trailing slash. */
export function trpcEndpoint(url: string): string {
  return `${url.replace(/\/+$/, "")}/trpc`;
}

function bearerOf(options: InkwellClientOptions): string | undefined {
  if (options.apiKey && options.token) {
    throw new TypeError("Pass either apiKey or token to createInkwellClient, not both.");
  }
  return options.apiKey ?? options.token;
}

/**
 * A typed client for every Inkwell procedure. Queries and mutations made in
 * the same tick go out as one batched HTTP request; subscriptions use
 * server-sent events and resume from their last event after a reconnect.
 * With read replicas, its reads see its own writes (it echoes `Inkwell-Read-After`).
 */
export function createInkwellClient(options: InkwellClientOptions): InkwellClient {
  const bearer = bearerOf(options);
  const url = trpcEndpoint(options.url);

  const writes = readYourWrites(() => options.fetch ?? fetch);
  const headers = async (): Promise<HeaderRecord> => {
    const extra = typeof options.headers === "function" ? await options.headers() : (options.headers ?? {});
    const withWrites = { ...writes.headers(), ...extra };
    return bearer ? { ...withWrites, authorization: `Bearer ${bearer}` } : withWrites;
  };

  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: subscriptionLink({ url, bearer, headers, fetch: options.fetch, EventSource: options.EventSource }),
        false: httpBatchLink({
          url,
          transformer: superjson,
          headers,
          // Notes the position of this client's last write for its next reads (read replicas, decision 014).
          fetch: writes.fetch,
          // Batched GETs carry their inputs in the URL; stay below common proxy limits.
          maxURLLength: 8_000,
          // The server refuses batches of more than 50 calls (MAX_BATCH_CALLS in apps/server).
          maxItems: 50,
        }),
      }),
    ],
  });
}
