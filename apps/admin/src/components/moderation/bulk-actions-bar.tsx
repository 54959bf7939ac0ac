import { Button, Group, Paper, Text } from "@mantine/core";
import { IconEye, IconEyeOff, IconTrash, IconX } from "@tabler/icons-react";

interface BulkActionsBarProps {
  count: number;
  noun: string;
  pending: boolean;
  onHide: () => void;
  onRestore: () => void;
  onDelete: () => void;
  onClear: () => void;
}

/** Appears when rows are selected: act on all of them at once. */
export function BulkActionsBar({ count, noun, pending, onHide, onRestore, onDelete, onClear }: BulkActionsBarProps) {
  if (count === 0) return null;
  return (
    <Paper withBorder p="xs" mb="sm" bg="var(--mantine-primary-color-light)" role="region" aria-label="Bulk actions">
      <Group justify="space-between" gap="xs">
        <Text size="sm" fw={500} px="xs">
          {count} {count === 1 ? noun : `${noun}s`} selected
        </Text>
        <Group gap="xs">
          <Button
            size="xs"
            variant="default"
            leftSection={<IconEyeOff size={14} />}
            onClick={onHide}
            disabled={pending}
          >
            Hide selected
          </Button>
          <Button
            size="xs"
            variant="default"
            leftSection={<IconEye size={14} />}
            onClick={onRestore}
            disabled={pending}
          >
            Restore selected
          </Button>
          <Button size="xs" color="red" leftSection={<IconTrash size={14} />} onClick={onDelete} disabled={pending}>
            Delete selected
          </Button>
          <Button size="xs" variant="subtle" leftSection={<IconX size={14} />} onClick={onClear}>
            Clear
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}
