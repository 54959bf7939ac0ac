import { apiKeysRouter } from "./router/api-keys.ts";
import { authRouter } from "./router/auth.ts";
import { systemRouter } from "./router/system.ts";
import { usersRouter } from "./router/users.ts";
import { router } from "./trpc.ts";

export const appRouter = router({
  system: systemRouter,
  auth: authRouter,
  apiKeys: apiKeysRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;
