import { ActionIcon, Group, Menu, Text } from "@mantine/core";
import { IconArrowMerge, IconDots, IconPencil, IconTrash } from "@tabler/icons-react";
import { createColumnHelper } from "@tanstack/react-table";
import { selectionColumn } from "../../components/selection-column.tsx";
import type { RouterOutputs } from "../../lib/trpc.ts";

export type TagRow = RouterOutputs["tags"]["list"][number];

export interface TagRowActions {
  rename: (tag: TagRow) => void;
  mergeFrom: (tag: TagRow) => void;
  remove: (tag: TagRow) => void;
}

const column = createColumnHelper<TagRow>();

export function tagColumns(actions: TagRowActions) {
  return [
    selectionColumn<TagRow>((tag) => tag.name),
    column.accessor("name", {
      header: "Tag",
      cell: ({ getValue }) => (
        <Text size="sm" fw={500}>
          {getValue()}
        </Text>
      ),
    }),
    column.accessor("articleCount", {
      header: "Visible articles",
      sortDescFirst: true,
      meta: { align: "right", width: 160 },
    }),
    column.display({
      id: "actions",
      header: () => <Text span>Actions</Text>,
      meta: { width: 72, align: "right" },
      cell: ({ row }) => (
        <Group justify="flex-end">
          <Menu position="bottom-end" withinPortal shadow="md">
            <Menu.Target>
              <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${row.original.name}`}>
                <IconDots size={18} />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item leftSection={<IconPencil size={16} />} onClick={() => actions.rename(row.original)}>
                Rename
              </Menu.Item>
              <Menu.Item leftSection={<IconArrowMerge size={16} />} onClick={() => actions.mergeFrom(row.original)}>
                Merge into another tag
              </Menu.Item>
              <Menu.Divider />
              <Menu.Item color="red" leftSection={<IconTrash size={16} />} onClick={() => actions.remove(row.original)}>
                Delete
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      ),
    }),
  ];
}
