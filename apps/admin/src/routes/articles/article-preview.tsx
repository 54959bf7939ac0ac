import { Badge, Group, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { ModerationBadge } from "../../components/badges.tsx";
import { ErrorAlert } from "../../components/error-alert.tsx";
import { formatDateTime } from "../../lib/format.ts";
import { trpc } from "../../lib/trpc.ts";

/** The article as readers see it (moderators see hidden ones too). */
export function ArticlePreview({ slug }: { slug: string }) {
  const article = useQuery(trpc.articles.get.queryOptions({ slug }));
  if (article.isPending) {
    return (
      <Stack aria-busy="true">
        <Skeleton height={28} width="70%" />
        <Skeleton height={14} />
        <Skeleton height={160} />
      </Stack>
    );
  }
  if (article.isError) return <ErrorAlert title="Could not load the article" error={article.error} />;
  const { title, description, body, author, tagList, createdAt, moderation } = article.data;
  return (
    <Stack gap="sm">
      <Title order={3}>{title}</Title>
      <Group gap="xs">
        <ModerationBadge state={moderation} />
        <Text size="sm" c="dimmed">
          by {author.username} · {formatDateTime(createdAt)}
        </Text>
      </Group>
      <Text fs="italic">{description}</Text>
      <Text style={{ whiteSpace: "pre-wrap" }}>{body}</Text>
      {tagList.length > 0 && (
        <Group gap={6}>
          {tagList.map((tag) => (
            <Badge key={tag} variant="outline" size="sm" tt="none">
              {tag}
            </Badge>
          ))}
        </Group>
      )}
    </Stack>
  );
}
