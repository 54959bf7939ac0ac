import { ActionIcon, Anchor, Group, Menu, Text } from "@mantine/core";
import { IconDots, IconExternalLink, IconEye, IconEyeOff, IconTrash } from "@tabler/icons-react";
import { createColumnHelper } from "@tanstack/react-table";
import { ModerationBadge } from "../../components/badges.tsx";
import { DateText } from "../../components/date-text.tsx";
import { AnchorLink } from "../../components/router-links.tsx";
import { selectionColumn } from "../../components/selection-column.tsx";
import type { RouterOutputs } from "../../lib/trpc.ts";

export type ArticleRow = RouterOutputs["moderation"]["articles"]["list"]["articles"][number];

export interface ArticleRowActions {
  view: (article: ArticleRow) => void;
  hide: (ids: number[]) => void;
  restore: (ids: number[]) => void;
  remove: (ids: number[], what: string) => void;
  /** Author names link to the user page. */
  linkAuthors: boolean;
}

const column = createColumnHelper<ArticleRow>();

export function articleColumns(actions: ArticleRowActions) {
  return [
    selectionColumn<ArticleRow>((article) => article.title),
    column.accessor("title", {
      header: "Title",
      cell: ({ row }) => (
        <Anchor
          component="button"
          type="button"
          size="sm"
          fw={500}
          ta="left"
          onClick={() => actions.view(row.original)}
        >
          {row.original.title}
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
    column.accessor("moderation", {
      header: "State",
      enableSorting: false,
      cell: ({ getValue }) => <ModerationBadge state={getValue()} />,
    }),
    column.accessor("commentsCount", { header: "Comments", enableSorting: false, meta: { align: "right" } }),
    column.accessor("favoritesCount", { header: "Favorites", enableSorting: false, meta: { align: "right" } }),
    column.accessor("createdAt", { header: "Created", cell: ({ getValue }) => <DateText date={getValue()} /> }),
    column.display({
      id: "actions",
      header: () => <Text span>Actions</Text>,
      meta: { width: 72, align: "right" },
      cell: ({ row }) => {
        const article = row.original;
        return (
          <Group justify="flex-end">
            <Menu position="bottom-end" withinPortal shadow="md">
              <Menu.Target>
                <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${article.title}`}>
                  <IconDots size={18} />
                </ActionIcon>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item leftSection={<IconExternalLink size={16} />} onClick={() => actions.view(article)}>
                  View
                </Menu.Item>
                {article.moderation === "visible" ? (
                  <Menu.Item leftSection={<IconEyeOff size={16} />} onClick={() => actions.hide([article.id])}>
                    Hide
                  </Menu.Item>
                ) : (
                  <Menu.Item leftSection={<IconEye size={16} />} onClick={() => actions.restore([article.id])}>
                    Restore
                  </Menu.Item>
                )}
                <Menu.Divider />
                <Menu.Item
                  color="red"
                  leftSection={<IconTrash size={16} />}
                  onClick={() => actions.remove([article.id], `"${article.title}"`)}
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
