import { ActionIcon, Anchor, Group, Menu, Text } from "@mantine/core";
import { IconDots, IconExternalLink, IconEye, IconEyeOff, IconTrash } from "@tabler/icons-react";
import { createColumnHelper } from "@tanstack/react-table";
import { ModerationBadge } from "../../components/badges.tsx";
import { DateText } from "../../components/date-text.tsx";
import { AnchorLink } from "../../components/router-links.tsx";
import { selectionColumn } from "../../components/selection-column.tsx";
import type { RouterOutputs } from "../../lib/trpc.ts";

export type CommentRow = RouterOutputs["moderation"]["comments"]["list"]["comments"][number];

export interface CommentRowActions {
  view: (comment: CommentRow) => void;
  viewArticle: (comment: CommentRow) => void;
  hide: (ids: number[]) => void;
  restore: (ids: number[]) => void;
  remove: (ids: number[], what: string) => void;
  linkAuthors: boolean;
}

const column = createColumnHelper<CommentRow>();

export function commentColumns(actions: CommentRowActions) {
  return [
    selectionColumn<CommentRow>((comment) => `comment ${comment.id} by ${comment.author.username}`),
    column.accessor("body", {
      header: "Comment",
      meta: { width: "40%" },
      cell: ({ row }) => (
        <Anchor
          component="button"
          type="button"
          size="sm"
          ta="left"
          c="var(--mantine-color-text)"
          lineClamp={2}
          onClick={() => actions.view(row.original)}
        >
          {row.original.body}
        </Anchor>
      ),
    }),
    column.display({
      id: "article",
      header: "On article",
      cell: ({ row }) => (
        <Anchor
          component="button"
          type="button"
          size="sm"
          ta="left"
          lineClamp={1}
          onClick={() => actions.viewArticle(row.original)}
        >
          {row.original.article.title}
        </Anchor>
      ),
    }),
    column.display({
      id: "author",
      header: "Author",
      cell: ({ row }) =>
        actions.linkAuthors ? (
          <AnchorLink
            to="/users/$userId"
            params={{ userId: row.original.author.id }}
            size="sm"
            style={{ whiteSpace: "nowrap" }}
          >
            {row.original.author.username}
          </AnchorLink>
        ) : (
          <Text size="sm">{row.original.author.username}</Text>
        ),
    }),
    column.accessor("moderation", { header: "State", cell: ({ getValue }) => <ModerationBadge state={getValue()} /> }),
    column.accessor("createdAt", { header: "Written", cell: ({ getValue }) => <DateText date={getValue()} /> }),
    column.display({
      id: "actions",
      header: () => <Text span>Actions</Text>,
      meta: { width: 72, align: "right" },
      cell: ({ row }) => {
        const comment = row.original;
        return (
          <Group justify="flex-end">
            <Menu position="bottom-end" withinPortal shadow="md">
              <Menu.Target>
                <ActionIcon variant="subtle" color="gray" aria-label={`Actions for comment ${comment.id}`}>
                  <IconDots size={18} />
                </ActionIcon>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item leftSection={<IconExternalLink size={16} />} onClick={() => actions.view(comment)}>
                  View
                </Menu.Item>
                {comment.moderation === "visible" ? (
                  <Menu.Item leftSection={<IconEyeOff size={16} />} onClick={() => actions.hide([comment.id])}>
                    Hide
                  </Menu.Item>
                ) : (
                  <Menu.Item leftSection={<IconEye size={16} />} onClick={() => actions.restore([comment.id])}>
                    Restore
                  </Menu.Item>
                )}
                <Menu.Divider />
                <Menu.Item
                  color="red"
                  leftSection={<IconTrash size={16} />}
                  onClick={() => actions.remove([comment.id], "this comment")}
                >
                  Delete
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        );
      },
    }),
  ];
}
