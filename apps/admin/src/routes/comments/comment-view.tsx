import { Badge, Divider, Group, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { ModerationStateCell } from "../../components/moderation/moderation-state.tsx";
import { type PreviewActionHandlers, PreviewActions } from "../../components/moderation/preview-actions.tsx";
import { formatDateTime } from "../../lib/format.ts";
import { type RouterInputs, trpc } from "../../lib/trpc.ts";
import { CommentThread } from "../articles/comment-thread.tsx";
import type { CommentRow } from "./comments-columns.tsx";

interface CommentViewProps {
  comment: CommentRow;
  actions?: PreviewActionHandlers;
  /** The list the comment was opened from, to follow its current state after an action. */
  listInput?: RouterInputs["moderation"]["comments"]["list"];
}

/** One comment with who hid it and why, actions, and the article it is on: its tags and the whole thread. */
export function CommentView({ comment: opened, actions, listInput }: CommentViewProps) {
  const list = useQuery({ ...trpc.moderation.comments.list.queryOptions(listInput), enabled: listInput !== undefined });
  const comment = list.data?.comments.find((row) => row.id === opened.id) ?? opened;
  const article = useQuery(trpc.articles.get.queryOptions({ slug: comment.article.slug }));
  return (
    <Stack gap="sm">
      <Group gap="xs" align="flex-start">
        <ModerationStateCell row={comment} full />
        <Text size="sm" c="dimmed">
          {comment.author.username} · {formatDateTime(comment.createdAt)}
        </Text>
      </Group>
      {/* On the left: messages appear at the top right and would cover buttons there. */}
      {actions && <PreviewActions id={comment.id} what="this comment" state={comment.moderation} actions={actions} />}
      <Text style={{ whiteSpace: "pre-wrap", wordBreak: "break-word" }}>{comment.body}</Text>
      <Divider />
      <Title order={4}>On “{comment.article.title}”</Title>
      <Group gap={6} aria-label="Tags">
        {(article.data?.tagList ?? []).map((tag) => (
          <Badge key={tag} variant="outline" size="sm" tt="none">
            {tag}
          </Badge>
        ))}
        {article.data && article.data.tagList.length === 0 && (
          <Text size="sm" c="dimmed">
            No tags
          </Text>
        )}
      </Group>
      <CommentThread articleId={comment.article.id} highlight={comment.id} />
    </Stack>
  );
}
