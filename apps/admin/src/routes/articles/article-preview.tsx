import { Badge, Divider, Group, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { ErrorAlert } from "../../components/error-alert.tsx";
import { type ModeratedFields, ModerationStateCell } from "../../components/moderation/moderation-state.tsx";
import { type PreviewActionHandlers, PreviewActions } from "../../components/moderation/preview-actions.tsx";
import { formatDateTime } from "../../lib/format.ts";
import { type RouterInputs, trpc } from "../../lib/trpc.ts";
import { CommentThread } from "./comment-thread.tsx";

interface ArticlePreviewProps {
  slug: string;
  /** Hide, restore, delete from the preview; left out where the caller may only look. */
  actions?: PreviewActionHandlers;
  /** The moderation list the preview was opened from: its row says who hid the article and why. */
  listInput?: RouterInputs["moderation"]["articles"]["list"];
}

/** The article as readers see it (moderators see hidden ones too), its tags, and its comment thread. */
export function ArticlePreview({ slug, actions, listInput }: ArticlePreviewProps) {
  const article = useQuery(trpc.articles.get.queryOptions({ slug }));
  const list = useQuery({ ...trpc.moderation.articles.list.queryOptions(listInput), enabled: listInput !== undefined });
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
  const { id, title, description, body, author, tagList, createdAt, moderation } = article.data;
  const listed = list.data?.articles.find((row) => row.id === id);
  // The list's row says who hid it and why, as long as it agrees with the article's current state.
  const state: ModeratedFields =
    listed?.moderation === moderation
      ? listed
      : { moderation, moderatedAt: null, moderatedBy: null, moderationReason: null };
  return (
    <Stack gap="sm">
      <Title order={3}>{title}</Title>
      {/* On the left, under the title: messages appear at the top right and would cover buttons there. */}
      {actions && <PreviewActions id={id} what={`"${title}"`} state={moderation} actions={actions} />}
      <Group gap="xs" align="flex-start">
        <ModerationStateCell row={state} full />
        <Text size="sm" c="dimmed">
          by {author.username} · {formatDateTime(createdAt)}
        </Text>
      </Group>
      <Group gap={6} aria-label="Tags">
        {tagList.length > 0 ? (
          tagList.map((tag) => (
            <Badge key={tag} variant="outline" size="sm" tt="none">
              {tag}
            </Badge>
          ))
        ) : (
          <Text size="sm" c="dimmed">
            No tags
          </Text>
        )}
      </Group>
      <Text fs="italic">{description}</Text>
      <Text style={{ whiteSpace: "pre-wrap", wordBreak: "break-word" }}>{body}</Text>
      <Divider />
      <CommentThread articleId={id} />
    </Stack>
  );
}
