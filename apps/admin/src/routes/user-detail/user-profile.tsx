import { Group, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { RoleBadge, StatusBadge } from "../../components/badges.tsx";
import { UserAvatar } from "../../components/user-avatar.tsx";
import { formatDateTime } from "../../lib/format.ts";
import type { RouterOutputs } from "../../lib/trpc.ts";
import { UserActionsMenu } from "../users/user-actions-menu.tsx";

type Detail = RouterOutputs["users"]["detail"];

function Count({ label, value }: { label: string; value: number }) {
  return (
    <div>
      <Text size="xl" fw={700}>
        {value.toLocaleString("en")}
      </Text>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
    </div>
  );
}

export function UserProfile({ user, counts, onDeleted }: Pick<Detail, "user" | "counts"> & { onDeleted: () => void }) {
  return (
    <Paper withBorder p="lg">
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="md">
        <Group align="flex-start" wrap="nowrap">
          <UserAvatar user={user} size={72} radius="xl" />
          <Stack gap={4}>
            <Group gap="xs">
              <Title order={2}>{user.username}</Title>
              <RoleBadge role={user.role} />
              <StatusBadge status={user.status} />
            </Group>
            <Text c="dimmed" size="sm">
              {user.email} · #{user.id} · joined {formatDateTime(user.createdAt)}
            </Text>
            {user.bio && (
              <Text size="sm" maw={640} lineClamp={3}>
                {user.bio}
              </Text>
            )}
          </Stack>
        </Group>
        <UserActionsMenu user={user} asButton onDeleted={onDeleted} />
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 5 }} mt="lg">
        <Count label="Articles" value={counts.articles} />
        <Count label="Comments" value={counts.comments} />
        <Count label="Favorites" value={counts.favorites} />
        <Count label="Followers" value={counts.followers} />
        <Count label="Following" value={counts.following} />
      </SimpleGrid>
    </Paper>
  );
}
