import { activityRouter } from "./router/activity.ts";
import { apiKeysRouter } from "./router/api-keys.ts";
import { articlesRouter } from "./router/articles.ts";
import { auditRouter } from "./router/audit.ts";
import { authRouter } from "./router/auth.ts";
import { commentsRouter } from "./router/comments.ts";
import { dashboardRouter } from "./router/dashboard.ts";
import { jobsRouter } from "./router/jobs.ts";
import { moderationRouter } from "./router/moderation.ts";
import { outboxRouter } from "./router/outbox.ts";
import { profilesRouter } from "./router/profiles.ts";
import { settingsRouter } from "./router/settings.ts";
import { systemRouter } from "./router/system.ts";
import { tagsRouter } from "./router/tags.ts";
import { usersRouter } from "./router/users.ts";
import { router } from "./trpc.ts";

export const appRouter = router({
  system: systemRouter,
  auth: authRouter,
  apiKeys: apiKeysRouter,
  profiles: profilesRouter,
  articles: articlesRouter,
  comments: commentsRouter,
  tags: tagsRouter,
  // Operators
  users: usersRouter,
  moderation: moderationRouter,
  audit: auditRouter,
  settings: settingsRouter,
  activity: activityRouter,
  dashboard: dashboardRouter,
  jobs: jobsRouter,
  outbox: outboxRouter,
});

export type AppRouter = typeof appRouter;
