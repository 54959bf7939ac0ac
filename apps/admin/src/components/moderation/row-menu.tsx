import type { ModerationState } from "@inkwell/auth/enums";
import { ActionIcon, Group, Menu } from "@mantine/core";
import { IconDots, IconExternalLink, IconEye, IconEyeOff, IconTrash } from "@tabler/icons-react";

interface ModerationRowMenuProps {
  /** Names the row for screen readers: "Actions for <label>". */
  label: string;
  state: ModerationState;
  onView: () => void;
  onHide: () => void;
  onRestore: () => void;
  onDelete: () => void;
}

/** The row actions of a moderation table: view, hide or restore, delete. */
export function ModerationRowMenu({ label, state, onView, onHide, onRestore, onDelete }: ModerationRowMenuProps) {
  return (
    <Group justify="flex-end">
      <Menu position="bottom-end" withinPortal shadow="md">
        <Menu.Target>
          <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${label}`}>
            <IconDots size={18} />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item leftSection={<IconExternalLink size={16} />} onClick={onView}>
            View
          </Menu.Item>
          {state === "visible" ? (
            <Menu.Item leftSection={<IconEyeOff size={16} />} onClick={onHide}>
              Hide
            </Menu.Item>
          ) : (
            <Menu.Item leftSection={<IconEye size={16} />} onClick={onRestore}>
              Restore
            </Menu.Item>
          )}
          <Menu.Divider />
          <Menu.Item color="red" leftSection={<IconTrash size={16} />} onClick={onDelete}>
            Delete
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
    </Group>
  );
}
