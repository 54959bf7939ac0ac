import { articleSortKeys } from "@inkwell/auth/enums";
import { modals } from "@mantine/modals";
import { IconFileText } from "@tabler/icons-react";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { functionalUpdate, getCoreRowModel, type SortingState, useReactTable } from "@tanstack/react-table";
import { useMemo, useRef } from "react";
import { LiveBadge } from "../../components/live-badge.tsx";
import { toContentFilter } from "../../components/moderation/content-filter.ts";
import { ModerationFilters } from "../../components/moderation/moderation-filters.tsx";
import { ModerationTable } from "../../components/moderation/moderation-table.tsx";
import { useModerationActions } from "../../components/moderation/use-moderation-actions.tsx";
import { useModerationSelection } from "../../components/moderation/use-moderation-selection.ts";
import { PageHeader } from "../../components/page-header.tsx";
import { useCan } from "../../lib/permissions.ts";
import { isOneOf } from "../../lib/search.ts";
import { type RouterOutputs, trpc } from "../../lib/trpc.ts";
import { ArticlePreview } from "./article-preview.tsx";
import { articleColumns } from "./articles-columns.tsx";
import { useLiveCommentCounts } from "./use-live-comment-counts.ts";

export const Route = createLazyRoute("/_app/articles")({ component: ArticlesPage });

const route = getRouteApi("/_app/articles");

type ArticleList = RouterOutputs["moderation"]["articles"]["list"];

function ArticlesPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const can = useCan();
  const queryClient = useQueryClient();
  const selection = useModerationSelection(search);
  const { from: _from, to: _to, ...rest } = search;
  const filter = useMemo(() => toContentFilter(search), [search]);
  const listInput = { ...rest, ...filter };
  const list = useQuery(trpc.moderation.articles.list.queryOptions(listInput, { placeholderData: keepPreviousData }));
  const shownIds = (list.data?.articles ?? []).map((article) => article.id).join(",");
  const articleIds = useMemo(() => (shownIds ? shownIds.split(",").map(Number) : []), [shownIds]);
  const liveCounts = useLiveCommentCounts(articleIds);
  const actions = useModerationActions({
    noun: "article",
    hide: trpc.moderation.articles.hide.mutationOptions(),
    restore: trpc.moderation.articles.restore.mutationOptions(),
    remove: trpc.moderation.articles.delete.mutationOptions(),
    undoHide: trpc.moderation.articles.undoHide.mutationOptions(),
    hideMatching: trpc.moderation.articles.hideMatching.mutationOptions(),
    restoreMatching: trpc.moderation.articles.restoreMatching.mutationOptions(),
    deleteMatching: trpc.moderation.articles.deleteMatching.mutationOptions(),
    lists: [
      trpc.moderation.articles.list.pathFilter(),
      trpc.articles.get.pathFilter(),
      trpc.moderation.comments.list.pathFilter(),
    ],
    patch: (ids, state) =>
      queryClient.setQueriesData<ArticleList>(trpc.moderation.articles.list.queryFilter(), (old) =>
        old
          ? {
              ...old,
              articles: old.articles.map((row) => (ids.includes(row.id) ? { ...row, moderation: state } : row)),
            }
          : old,
      ),
    onDone: selection.clear,
  });

  // Columns made once (per permission): new column functions on every render would remount every cell,
  // so a checkbox just clicked would be replaced under the pointer. They reach the latest actions through a ref.
  const latest = useRef({ actions, listInput });
  latest.current = { actions, listInput };
  const linkAuthors = can("users:read");
  const columns = useMemo(
    () =>
      articleColumns({
        view: (article) =>
          modals.open({
            title: "Article",
            size: "xl",
            children: (
              <ArticlePreview
                slug={article.slug}
                actions={latest.current.actions}
                listInput={latest.current.listInput}
              />
            ),
          }),
        hide: (ids, what) => latest.current.actions.hide(ids, what),
        restore: (ids) => latest.current.actions.restore(ids),
        remove: (ids, what) => latest.current.actions.remove(ids, what),
        linkAuthors,
      }),
    [linkAuthors],
  );

  const sorting: SortingState = [{ id: search.sort, desc: search.direction === "desc" }];
  const table = useReactTable({
    data: list.data?.articles ?? [],
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (article) => String(article.id),
    manualPagination: true,
    manualSorting: true,
    enableSortingRemoval: false,
    enableRowSelection: true,
    rowCount: list.data?.total ?? 0,
    state: { sorting, rowSelection: selection.rows },
    onRowSelectionChange: selection.onRowSelectionChange,
    onSortingChange: (updater) => {
      const [next] = functionalUpdate(updater, sorting);
      const sort = next?.id;
      if (!next || !isOneOf(articleSortKeys, sort)) return;
      void navigate({ search: (prev) => ({ ...prev, sort, direction: next.desc ? "desc" : "asc", page: 1 }) });
    },
  });

  return (
    <>
      <PageHeader
        title="Articles"
        description="Every article, hidden ones included. Hidden articles vanish from the public API."
        // The badge tells whether the comment counts on screen are live; with no rows there is nothing to keep live.
        actions={articleIds.length > 0 ? <LiveBadge status={liveCounts.status} error={liveCounts.error} /> : null}
      />
      <ModerationFilters
        view={search}
        searchLabel="Title contains…"
        onChange={(changes) => void navigate({ search: (prev) => ({ ...prev, ...changes, page: 1 }) })}
      />
      <ModerationTable
        table={table}
        noun="article"
        label="Articles"
        icon={<IconFileText />}
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
