import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./root.ts";

export { SESSION_COOKIE } from "./auth/cookies.ts";
export { type PresentedCredential, presentedCredential } from "./auth/credential.ts";
export type { Principal } from "./auth/principal.ts";
export { type AuthSettings, days, defaultAuthSettings, type ThrottlePolicy } from "./auth/settings.ts";
export { type ApiDeps, type Context, createContext, type RequestMeta } from "./context.ts";
export { DATABASE_UNAVAILABLE } from "./errors.ts";
export { findUnstorableText } from "./middleware/unstorable-text.ts";
export { type LiveEvents, startLiveEvents } from "./realtime/live-events.ts";
export { type AppRouter, appRouter } from "./root.ts";
export { ensureInitialAdmin, type InitialAdminResult } from "./services/bootstrap.ts";
export {
  type CounterWindows,
  counterWindows,
  type MaintenanceResult,
  runMaintenance,
} from "./services/maintenance.ts";
export { createCallerFactory, fromDatabaseError, type ProcedureMeta } from "./trpc.ts";

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
