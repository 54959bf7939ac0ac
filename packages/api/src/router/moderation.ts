import type { TRPCRouterRecord } from "@trpc/server";
import { moderationArticlesRouter } from "./moderation-articles.ts";
import { moderationCommentsRouter } from "./moderation-comments.ts";

export const moderationRouter = {
  articles: moderationArticlesRouter,
  comments: moderationCommentsRouter,
} satisfies TRPCRouterRecord;
