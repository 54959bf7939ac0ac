import { permissionDescriptions } from "@inkwell/auth/permissions";
import { Badge, Group, Paper, Stack, Text, Title, Tooltip } from "@mantine/core";
import { RoleBadge } from "../../components/badges.tsx";
import { UserAvatar } from "../../components/user-avatar.tsx";
import { formatDate } from "../../lib/format.ts";
import { useMe } from "../../lib/permissions.ts";
import { EmailVerificationLine } from "./email-verification-line.tsx";

export function ProfileCard() {
  const { user, permissions } = useMe();
  return (
    <Paper withBorder p="lg" h="100%">
      <Group wrap="nowrap" align="flex-start">
        <UserAvatar user={user} size={56} radius="xl" />
        <Stack gap={4}>
          <Group gap="xs">
            <Title order={3} size="h4" data-testid="account-username">
              {user.username}
            </Title>
            <RoleBadge role={user.role} />
          </Group>
          <Text size="sm" c="dimmed">
            {user.email} · member since {formatDate(user.createdAt)}
          </Text>
          <EmailVerificationLine />
        </Stack>
      </Group>
      <Text size="sm" fw={600} mt="lg" mb={6}>
        What your role may do
      </Text>
      <Group gap={6} data-testid="my-permissions">
        {permissions.map((permission) => (
          <Tooltip key={permission} label={permissionDescriptions[permission]}>
            <Badge variant="light" tt="none">
              {permission}
            </Badge>
          </Tooltip>
        ))}
      </Group>
    </Paper>
  );
}
