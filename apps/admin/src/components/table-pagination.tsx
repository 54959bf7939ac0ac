import { Group, Pagination, Select, Text } from "@mantine/core";
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

/** "21–40 of 123 users", rows per page, and page buttons. */
export function TablePagination({ page, pageSize, total, noun, onPageChange, onPageSizeChange }: TablePaginationProps) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
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
        value={Math.min(page, pages)}
        onChange={onPageChange}
        withEdges
        getItemProps={(item) => ({ "aria-label": `Page ${item}` })}
        getControlProps={(control) => ({ "aria-label": controlLabels[control] })}
      />
    </Group>
  );
}
