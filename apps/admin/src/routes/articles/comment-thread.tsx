import { Paper, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { DateText } from "../../components/date-text.tsx";
import { ErrorAlert } from "../../components/error-alert.tsx";
import { ModerationStateCell } from "../../components/moderation/moderation-state.tsx";
import { plural } from "../../lib/format.ts";
import { trpc } from "../../lib/trpc.ts";

/** The most comments a preview shows: the newest, oldest of them first. */
const THREAD_SIZE = 100;

/** An article's comments as a thread, hidden ones included and marked; `highlight` is the one being looked at. */
export function CommentThread({ articleId, highlight }: { articleId: number; highlight?: number }) {
  const thread = useQuery(trpc.moderation.comments.list.queryOptions({ articleId, pageSize: THREAD_SIZE }));
  if (thread.isPending) return <Skeleton height={60} />;
  if (thread.isError) return <ErrorAlert title="Could not load the comments" error={thread.error} />;
  const { comments, total } = thread.data;
  return (
    <Stack gap="xs" component="section" aria-label="Comments">
      <Title order={4}>
        {plural(total, "comment")}
        {total > comments.length ? ` (the newest ${comments.length})` : ""}
      </Title>
      {comments.length === 0 && (
        <Text size="sm" c="dimmed">
          No comments yet.
        </Text>
      )}
      {[...comments].reverse().map((comment) => (
        <Paper
          key={comment.id}
          withBorder
          p="xs"
          data-testid="thread-comment"
          bg={comment.id === highlight ? "var(--mantine-primary-color-light)" : undefined}
          aria-current={comment.id === highlight ? "true" : undefined}
          style={comment.moderation === "hidden" ? { borderStyle: "dashed" } : undefined}
        >
          <Text size="xs" c="dimmed" mb={4}>
            {comment.author.username} · <DateText date={comment.createdAt} size="xs" />
          </Text>
          <Text size="sm" style={{ whiteSpace: "pre-wrap", wordBreak: "break-word" }}>
            {comment.body}
          </Text>
          {comment.moderation === "hidden" && (
            <Stack mt={4}>
              <ModerationStateCell row={comment} full />
            </Stack>
          )}
        </Paper>
      ))}
    </Stack>
  );
}
