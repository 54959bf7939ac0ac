import { skipToken, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { type RouterOutputs, trpc } from "../../lib/trpc.ts";

type ArticleList = RouterOutputs["moderation"]["articles"]["list"];

/** Keeps the comment counts of the listed articles current as comments are written and deleted. */
export function useLiveCommentCounts(articleIds: number[]) {
  const queryClient = useQueryClient();
  return useSubscription(
    trpc.moderation.articles.onCommentCounts.subscriptionOptions(
      articleIds.length > 0 ? { ids: articleIds } : skipToken,
      {
        onData: (counts) => {
          const byId = new Map(counts.map((count) => [count.articleId, count.commentsCount]));
          queryClient.setQueriesData<ArticleList>(trpc.moderation.articles.list.queryFilter(), (old) =>
            old
              ? {
                  ...old,
                  articles: old.articles.map((row) =>
                    byId.has(row.id) ? { ...row, commentsCount: byId.get(row.id) ?? row.commentsCount } : row,
                  ),
                }
              : old,
          );
        },
      },
    ),
  );
}
