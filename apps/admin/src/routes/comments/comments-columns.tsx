import { Anchor, Text } from "@mantine/core";
import { createColumnHelper } from "@tanstack/react-table";
import { DateText } from "../../components/date-text.tsx";
import { ModerationStateCell } from "../../components/moderation/moderation-state.tsx";
import { ModerationRowMenu } from "../../components/moderation/row-menu.tsx";
import { AnchorLink } from "../../components/router-links.tsx";
import { selectionColumn } from "../../components/selection-column.tsx";
import type { RouterOutputs } from "../../lib/trpc.ts";

export type CommentRow = RouterOutputs["moderation"]["comments"]["list"]["comments"][number];

export interface CommentRowActions {
  view: (comment: CommentRow) => void;
  viewArticle: (comment: CommentRow) => void;
  hide: (ids: number[], what: string) => void;
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
    column.accessor("moderation", { header: "State", cell: ({ row }) => <ModerationStateCell row={row.original} /> }),
    column.accessor("createdAt", { header: "Written", cell: ({ getValue }) => <DateText date={getValue()} /> }),
    column.display({
      id: "actions",
      header: () => <Text span>Actions</Text>,
      meta: { width: 72, align: "right" },
      cell: ({ row }) => {
        const comment = row.original;
        return (
          <ModerationRowMenu
            label={`comment ${comment.id}`}
            state={comment.moderation}
            onView={() => actions.view(comment)}
            onHide={() => actions.hide([comment.id], "this comment")}
            onRestore={() => actions.restore([comment.id])}
            onDelete={() => actions.remove([comment.id], "this comment")}
          />
        );
      },
    }),
  ];
}
