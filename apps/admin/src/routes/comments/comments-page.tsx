import { modals } from "@mantine/modals";
import { IconMessages } from "@tabler/icons-react";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { getCoreRowModel, useReactTable } from "@tanstack/react-table";
import { useMemo, useRef } from "react";
import { toContentFilter } from "../../components/moderation/content-filter.ts";
import { ModerationFilters } from "../../components/moderation/moderation-filters.tsx";
import { ModerationTable } from "../../components/moderation/moderation-table.tsx";
import { useModerationActions } from "../../components/moderation/use-moderation-actions.tsx";
import { useModerationSelection } from "../../components/moderation/use-moderation-selection.ts";
import { PageHeader } from "../../components/page-header.tsx";
import { useCan } from "../../lib/permissions.ts";
import { type RouterOutputs, trpc } from "../../lib/trpc.ts";
import { ArticlePreview } from "../articles/article-preview.tsx";
import { CommentView } from "./comment-view.tsx";
import { commentColumns } from "./comments-columns.tsx";

export const Route = createLazyRoute("/_app/comments")({ component: CommentsPage });

const route = getRouteApi("/_app/comments");

type CommentList = RouterOutputs["moderation"]["comments"]["list"];

function CommentsPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const can = useCan();
  const queryClient = useQueryClient();
  const selection = useModerationSelection(search);
  const filter = useMemo(() => toContentFilter(search), [search]);
  const listInput = { page: search.page, pageSize: search.pageSize, ...filter };
  const list = useQuery(trpc.moderation.comments.list.queryOptions(listInput, { placeholderData: keepPreviousData }));
  const actions = useModerationActions({
    noun: "comment",
    hide: trpc.moderation.comments.hide.mutationOptions(),
    restore: trpc.moderation.comments.restore.mutationOptions(),
    remove: trpc.moderation.comments.delete.mutationOptions(),
    undoHide: trpc.moderation.comments.undoHide.mutationOptions(),
    hideMatching: trpc.moderation.comments.hideMatching.mutationOptions(),
    restoreMatching: trpc.moderation.comments.restoreMatching.mutationOptions(),
    deleteMatching: trpc.moderation.comments.deleteMatching.mutationOptions(),
    lists: [trpc.moderation.comments.list.pathFilter(), trpc.moderation.articles.list.pathFilter()],
    patch: (ids, state) =>
      queryClient.setQueriesData<CommentList>(trpc.moderation.comments.list.queryFilter(), (old) =>
        old
          ? {
              ...old,
              comments: old.comments.map((row) => (ids.includes(row.id) ? { ...row, moderation: state } : row)),
            }
          : old,
      ),
    onDone: selection.clear,
  });

  // Columns made once (per permission), so cells are not remounted on every render; see the articles page.
  const latest = useRef({ actions, listInput });
  latest.current = { actions, listInput };
  const linkAuthors = can("users:read");
  const columns = useMemo(
    () =>
      commentColumns({
        view: (comment) =>
          modals.open({
            title: "Comment",
            size: "lg",
            children: (
              <CommentView comment={comment} actions={latest.current.actions} listInput={latest.current.listInput} />
            ),
          }),
        viewArticle: (comment) =>
          modals.open({ title: "Article", size: "xl", children: <ArticlePreview slug={comment.article.slug} /> }),
        hide: (ids, what) => latest.current.actions.hide(ids, what),
        restore: (ids) => latest.current.actions.restore(ids),
        remove: (ids, what) => latest.current.actions.remove(ids, what),
        linkAuthors,
      }),
    [linkAuthors],
  );

  const table = useReactTable({
    data: list.data?.comments ?? [],
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (comment) => String(comment.id),
    manualPagination: true,
    enableSorting: false,
    enableRowSelection: true,
    rowCount: list.data?.total ?? 0,
    state: { rowSelection: selection.rows },
    onRowSelectionChange: selection.onRowSelectionChange,
  });

  return (
    <>
      <PageHeader title="Comments" description="Every comment, newest first, hidden ones included." />
      <ModerationFilters
        view={search}
        searchLabel="Text contains…"
        onChange={(changes) => void navigate({ search: (prev) => ({ ...prev, ...changes, page: 1 }) })}
      />
      <ModerationTable
        table={table}
        noun="comment"
        label="Comments"
        icon={<IconMessages />}
        list={list}
        total={list.data?.total ?? 0}
        selection={selection}
        filter={filter}
        actions={actions}
        page={search.page}
        pageSize={search.pageSize}
        onPageChange={(page) => void navigate({ search: (prev) => ({ ...prev, page }) })}
        onPageSizeChange={(pageSize) => void navigate({ search: (prev) => ({ ...prev, pageSize, page: 1 }) })}
      />
    </>
  );
}
