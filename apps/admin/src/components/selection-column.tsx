import { Checkbox } from "@mantine/core";
import type { ColumnDef } from "@tanstack/react-table";

/** A checkbox column for bulk actions; the header box selects the whole page. */
export function selectionColumn<T>(describe: (row: T) => string): ColumnDef<T> {
  return {
    id: "select",
    meta: { width: 40 },
    enableSorting: false,
    header: ({ table }) => (
      <Checkbox
        aria-label="Select all rows on this page"
        checked={table.getIsAllPageRowsSelected()}
        indeterminate={table.getIsSomePageRowsSelected()}
        onChange={table.getToggleAllPageRowsSelectedHandler()}
      />
    ),
    cell: ({ row }) => (
      <Checkbox
        aria-label={`Select ${describe(row.original)}`}
        checked={row.getIsSelected()}
        onChange={row.getToggleSelectedHandler()}
      />
    ),
  };
}
