import { Button, Tooltip } from "@mantine/core";
import { IconDownload } from "@tabler/icons-react";

/** The URL of a CSV export with a page's filters; paging params are left to the server, which exports every page. */
export function exportHref(path: string, search: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    if (value === undefined || value === null || value === "" || key === "page" || key === "pageSize") continue;
    params.set(key, String(value));
  }
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

/**
 * Downloads a table as CSV, every row that matches the page's filters. A
 * plain link: the browser streams the file to disk with the session cookie,
 * whatever its size, and the server answers 403 to anyone the page is not for.
 */
export function CsvExportButton({
  path,
  search,
  noun,
}: {
  /** The server's export, e.g. `/export/users.csv`. */
  path: string;
  search: Record<string, unknown>;
  /** What the rows are, for the label: "users". */
  noun: string;
}) {
  return (
    <Tooltip label={`Every ${noun.replace(/s$/, "")} matching the filters, as a CSV file`}>
      <Button
        component="a"
        href={exportHref(path, search)}
        download
        variant="default"
        leftSection={<IconDownload size={16} aria-hidden />}
      >
        Export CSV
      </Button>
    </Tooltip>
  );
}
