import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./root.ts";

export { type ApiDeps, type Context, createContext, type RequestMeta } from "./context.ts";
export { type AppRouter, appRouter } from "./root.ts";
export { createCallerFactory } from "./trpc.ts";

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export { ensureInitialAdmin, type InitialAdminResult } from "./services/bootstrap.ts";
