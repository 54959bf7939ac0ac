import type { AppRouter } from "@inkwell/api";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import superjson from "superjson";
import { queryClient } from "./query-client.ts";

export type { RouterInputs, RouterOutputs } from "@inkwell/api";

/** Same origin: the server serves this app, and Vite proxies `/trpc` in development. */
export const trpcClient = createTRPCClient<AppRouter>({
  links: [httpBatchLink({ url: "/trpc", transformer: superjson })],
});

export const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });
