import { type Role, roles } from "@inkwell/auth/permissions";
import { ActionIcon, Button, Menu } from "@mantine/core";
import {
  IconDots,
  IconLogout2,
  IconPlayerPlay,
  IconSettings,
  IconShieldHalf,
  IconTrash,
  IconUserOff,
} from "@tabler/icons-react";
import { useCan, useMe } from "../../lib/permissions.ts";
import { type UserLike, useUserActions } from "./use-user-actions.tsx";

interface UserActionsMenuProps {
  user: UserLike;
  /** A labelled button (user page) instead of a "…" icon (table row). */
  asButton?: boolean;
  onDeleted?: () => void;
}

/** What the signed-in operator may do to `user`; nothing at all for people without the permissions. */
export function UserActionsMenu({ user, asButton = false, onDeleted }: UserActionsMenuProps) {
  const can = useCan();
  const me = useMe();
  const actions = useUserActions();
  const manage = can("users:manage");
  const revoke = can("sessions:manage");
  if (!manage && !revoke) return null;
  const self = me.user.id === user.id;

  return (
    <Menu position="bottom-end" withinPortal shadow="md" width={220}>
      <Menu.Target>
        {asButton ? (
          <Button variant="default" leftSection={<IconSettings size={16} />}>
            Actions
          </Button>
        ) : (
          <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${user.username}`}>
            <IconDots size={18} />
          </ActionIcon>
        )}
      </Menu.Target>
      <Menu.Dropdown>
        {manage && !self && (
          <>
            <Menu.Label>Role</Menu.Label>
            {roles
              .filter((role) => role !== user.role)
              .map((role: Role) => (
                <Menu.Item
                  key={role}
                  leftSection={<IconShieldHalf size={16} />}
                  onClick={() => actions.changeRole(user, role)}
                >
                  Make {role}
                </Menu.Item>
              ))}
            <Menu.Divider />
            {user.status === "active" ? (
              <Menu.Item color="orange" leftSection={<IconUserOff size={16} />} onClick={() => actions.suspend(user)}>
                Suspend
              </Menu.Item>
            ) : (
              <Menu.Item leftSection={<IconPlayerPlay size={16} />} onClick={() => actions.restore(user)}>
                Restore
              </Menu.Item>
            )}
          </>
        )}
        {revoke && (
          <Menu.Item leftSection={<IconLogout2 size={16} />} onClick={() => actions.revokeSessions(user)}>
            Revoke sessions
          </Menu.Item>
        )}
        {manage && !self && (
          <>
            <Menu.Divider />
            <Menu.Item
              color="red"
              leftSection={<IconTrash size={16} />}
              onClick={() => actions.remove(user, onDeleted)}
            >
              Delete user
            </Menu.Item>
          </>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}
