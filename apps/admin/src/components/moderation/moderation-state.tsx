import type { ModerationState } from "@inkwell/auth/enums";
import { Stack, Text } from "@mantine/core";
import { ModerationBadge } from "../badges.tsx";
import { DateText } from "../date-text.tsx";

export interface ModeratedFields {
  moderation: ModerationState;
  moderatedAt: Date | null;
  moderatedBy: { id: number; username: string } | null;
  moderationReason: string | null;
}

/** The state badge and, on hidden rows, who hid it, when and why. */
export function ModerationStateCell({ row, full = false }: { row: ModeratedFields; full?: boolean }) {
  if (row.moderation !== "hidden") return <ModerationBadge state={row.moderation} />;
  return (
    <Stack gap={2} maw={full ? undefined : 220} data-testid="moderation-state">
      <ModerationBadge state={row.moderation} />
      {row.moderatedAt ? (
        <Text size="xs" c="dimmed">
          by {row.moderatedBy?.username ?? "a former moderator"} · <DateText date={row.moderatedAt} size="xs" />
        </Text>
      ) : null}
      {row.moderationReason ? (
        <Text
          size="xs"
          lineClamp={full ? undefined : 2}
          title={row.moderationReason}
          style={{ wordBreak: "break-word" }}
        >
          “{row.moderationReason}”
        </Text>
      ) : null}
    </Stack>
  );
}
