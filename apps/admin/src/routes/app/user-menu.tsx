import { Badge, Group, Menu, Text, UnstyledButton, VisuallyHidden } from "@mantine/core";
import { IconChevronDown, IconLogout, IconUserCircle } from "@tabler/icons-react";
import { Link } from "@tanstack/react-router";
import { UserAvatar } from "../../components/user-avatar.tsx";
import { useMe } from "../../lib/permissions.ts";
import { useSignOut } from "../../lib/use-sign-out.ts";

export function UserMenu() {
  const { user } = useMe();
  const signOut = useSignOut();

  return (
    <Menu position="bottom-end" width={220} withinPortal>
      <Menu.Target>
        {/* Named by its hidden text, not aria-label: axe requires a label to include the visible text, initials too. */}
        <UnstyledButton data-testid="user-menu">
          <Group gap={8} wrap="nowrap">
            <UserAvatar user={user} size={30} radius="xl" aria-hidden />
            <Text size="sm" fw={500} visibleFrom="xs" data-testid="signed-in-as" aria-hidden>
              {user.username}
            </Text>
            <VisuallyHidden>Account menu for {user.username}</VisuallyHidden>
            <IconChevronDown size={14} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Group justify="space-between">
            <span>{user.email}</span>
          </Group>
          <Badge size="xs" mt={4} variant="light">
            {user.role}
          </Badge>
        </Menu.Label>
        <Menu.Item component={Link} to="/account" leftSection={<IconUserCircle size={16} />}>
          My account
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item
          color="red"
          leftSection={<IconLogout size={16} />}
          onClick={() => signOut.mutate()}
          disabled={signOut.isPending}
        >
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
