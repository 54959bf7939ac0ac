import { Code, Group, Skeleton, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { ErrorAlert } from "../../components/error-alert.tsx";
import { formatDateTime } from "../../lib/format.ts";
import { trpc } from "../../lib/trpc.ts";
import { EmailStatusBadge } from "./outbox-columns.tsx";

/** One message as its recipient reads the text part (the HTML part is never rendered here). */
export function EmailView({ id }: { id: number }) {
  const message = useQuery(trpc.outbox.get.queryOptions({ id }));
  if (message.isPending) return <Skeleton height={160} />;
  if (message.isError) {
    return <ErrorAlert title="Could not open the email" error={message.error} onRetry={() => void message.refetch()} />;
  }
  const email = message.data;
  return (
    <Stack gap="sm">
      <Group gap="xs">
        <EmailStatusBadge status={email.status} error={null} />
        <Text size="sm" c="dimmed">
          To {email.recipient} · {email.template} · created {formatDateTime(email.createdAt)}
          {email.deliveredAt ? ` · delivered ${formatDateTime(email.deliveredAt)}` : ""} · {email.attempts}{" "}
          {email.attempts === 1 ? "attempt" : "attempts"}
        </Text>
      </Group>
      <Text fw={600}>{email.subject}</Text>
      {email.lastError && (
        <Text size="sm" c="red">
          Last error: {email.lastError}
        </Text>
      )}
      <Code block data-testid="email-text" style={{ whiteSpace: "pre-wrap" }}>
        {email.textBody}
      </Code>
    </Stack>
  );
}
