import type { AppRouter } from "@inkwell/api";
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import superjson from "superjson";
import { queryClient } from "./query-client.ts";

export type { RouterInputs, RouterOutputs } from "@inkwell/api";

/**
 * Same origin: the server serves this app, and Vite proxies `/trpc` in
 * development. Subscriptions are server-sent events; the browser's
 * EventSource sends the session cookie like any other same-origin request.
 */
export const trpcClient = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (op) => op.type === "subscription",
      true: httpSubscriptionLink({ url: "/trpc", transformer: superjson }),
      // The server refuses batches of more than 50 calls (MAX_BATCH_CALLS in apps/server).
      false: httpBatchLink({ url: "/trpc", transformer: superjson, maxItems: 50 }),
    }),
  ],
});

export const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });
