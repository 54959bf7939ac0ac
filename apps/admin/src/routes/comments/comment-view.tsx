import { Group, Stack, Text } from "@mantine/core";
import { ModerationBadge } from "../../components/badges.tsx";
import { formatDateTime } from "../../lib/format.ts";
import type { CommentRow } from "./comments-columns.tsx";

export function CommentView({ comment }: { comment: CommentRow }) {
  return (
    <Stack gap="sm">
      <Group gap="xs">
        <ModerationBadge state={comment.moderation} />
        <Text size="sm" c="dimmed">
          {comment.author.username} on “{comment.article.title}” · {formatDateTime(comment.createdAt)}
        </Text>
      </Group>
      <Text style={{ whiteSpace: "pre-wrap" }}>{comment.body}</Text>
    </Stack>
  );
}
