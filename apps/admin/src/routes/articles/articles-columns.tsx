import { Anchor, Text } from "@mantine/core";
import { createColumnHelper } from "@tanstack/react-table";
import { DateText } from "../../components/date-text.tsx";
import { ModerationStateCell } from "../../components/moderation/moderation-state.tsx";
import { ModerationRowMenu } from "../../components/moderation/row-menu.tsx";
import { AnchorLink } from "../../components/router-links.tsx";
import { selectionColumn } from "../../components/selection-column.tsx";
import type { RouterOutputs } from "../../lib/trpc.ts";

export type ArticleRow = RouterOutputs["moderation"]["articles"]["list"]["articles"][number];

export interface ArticleRowActions {
  view: (article: ArticleRow) => void;
  hide: (ids: number[], what: string) => void;
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
      cell: ({ row }) => <ModerationStateCell row={row.original} />,
    }),
    column.accessor("commentsCount", { header: "Comments", sortDescFirst: true, meta: { align: "right" } }),
    column.accessor("favoritesCount", { header: "Favorites", sortDescFirst: true, meta: { align: "right" } }),
    column.accessor("createdAt", { header: "Created", cell: ({ getValue }) => <DateText date={getValue()} /> }),
    column.display({
      id: "actions",
      header: () => <Text span>Actions</Text>,
      meta: { width: 72, align: "right" },
      cell: ({ row }) => {
        const article = row.original;
        return (
          <ModerationRowMenu
            label={article.title}
            state={article.moderation}
            onView={() => actions.view(article)}
            onHide={() => actions.hide([article.id], `"${article.title}"`)}
            onRestore={() => actions.restore([article.id])}
            onDelete={() => actions.remove([article.id], `"${article.title}"`)}
          />
        );
      },
    }),
  ];
}
