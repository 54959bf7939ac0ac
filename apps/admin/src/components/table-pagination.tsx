import { Group, Pagination, Select, Text } from "@mantine/core";
import { useNavigate } from "@tanstack/react-router";
import { useEffect } from "react";
import { pageSizes } from "../lib/search.ts";

interface TablePaginationProps {
  page: number;
  pageSize: number;
  total: number;
  /** Singular: "user". */
  noun: string;
  onPageChange: (page: number) => void;
  onPageSizeChange: (pageSize: number) => void;
}

const controlLabels = { first: "First page", previous: "Previous page", next: "Next page", last: "Last page" };

/**
 * A `?page=` past the last page (typed, bookmarked, or left behind when rows
 * went away) moves to the last page, replacing the history entry so Back does
 * not return to the empty page. Every table keeps its page in the URL's `page`.
 */
function useClampPageToLast(page: number, lastPage: number, total: number) {
  const navigate = useNavigate();
  const pastEnd = total > 0 && page > lastPage;
  useEffect(() => {
    if (!pastEnd) return;
    void navigate({
      to: ".",
      search: ((prev: Record<string, unknown>) => ({ ...prev, page: lastPage })) as never,
      replace: true,
    });
  }, [pastEnd, lastPage, navigate]);
}

/** "21–40 of 123 users", rows per page, and page buttons. */
export function TablePagination({ page, pageSize, total, noun, onPageChange, onPageSizeChange }: TablePaginationProps) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  useClampPageToLast(page, pages, total);
  // Until the URL has caught up, count as the page it is moving to.
  const shown = Math.min(page, pages);
  const first = total === 0 ? 0 : (shown - 1) * pageSize + 1;
  const last = Math.min(total, shown * pageSize);
  return (
    <Group justify="space-between" mt="md" gap="sm">
      <Group gap="sm">
        <Text size="sm" c="dimmed" data-testid="table-range">
          {first}–{last} of {total.toLocaleString("en")} {total === 1 ? noun : `${noun}s`}
        </Text>
        <Select
          aria-label="Rows per page"
          size="xs"
          w={120}
          allowDeselect={false}
          data={pageSizes.map((size) => ({ value: String(size), label: `${size} per page` }))}
          value={String(pageSize)}
          onChange={(value) => value && onPageSizeChange(Number(value))}
        />
      </Group>
      <Pagination
        size="sm"
        total={pages}
        value={shown}
        onChange={onPageChange}
        withEdges
        getItemProps={(item) => ({ "aria-label": `Page ${item}` })}
        getControlProps={(control) => ({ "aria-label": controlLabels[control] })}
      />
    </Group>
  );
}
