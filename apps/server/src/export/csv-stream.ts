import { stringify } from "csv-stringify/sync";

/** One column of an export: its header and how a row gives its cell. */
export interface CsvColumn<Row> {
  header: string;
  value: (row: Row) => string | number | boolean | Date | null | undefined;
}

/** NUL ends strings in many tools and cannot round-trip through PostgreSQL: it becomes U+FFFD, visibly. */
const NUL = new RegExp(String.fromCharCode(0), "g");

/**
 * A page of rows as CSV text: RFC 4180 quoting (quotes, commas, line breaks),
 * CRLF line ends, times in ISO 8601, and cells a spreadsheet would run as a
 * formula (starting with `=`, `+`, `-`, `@`, tab or carriage return, OWASP
 * "CSV injection") prefixed with `'` so they read as text. `csv-stringify`
 * does the quoting and the formula escape; nothing here re-implements them.
 */
function csvText<Row>(columns: readonly CsvColumn<Row>[], rows: readonly Row[], withHeader: boolean): string {
  const records = rows.map((row) => columns.map((column) => column.value(row)));
  return stringify(withHeader ? [columns.map((column) => column.header), ...records] : records, {
    record_delimiter: "windows",
    escape_formulas: true,
    cast: {
      string: (value) => value.replace(NUL, "\uFFFD"),
      date: (value) => value.toISOString(),
      boolean: (value) => (value ? "true" : "false"),
    },
  });
}

/**
 * A CSV file streamed page by page: the header with the first page, then
 * each further page only when the reader asks for more (a pull stream with
 * room for one chunk), so a slow download holds one page in memory, not the
 * file. `first` is fetched by the caller beforehand, so that a refusal (no
 * permission, bad filters) is still answered with its status; a failure of a
 * later page aborts the download rather than end it early as if complete.
 */
export function csvStream<Row>(
  columns: readonly CsvColumn<Row>[],
  first: readonly Row[],
  rest: AsyncIterator<readonly Row[]>,
  onError: (error: unknown) => void,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true;
          // A byte-order mark, so that spreadsheets read the file as UTF-8 (names and text in any script).
          controller.enqueue(encoder.encode(`\uFEFF${csvText(columns, first, true)}`));
          return;
        }
        try {
          const next = await rest.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(csvText(columns, next.value, false)));
        } catch (error) {
          onError(error);
          controller.error(error);
        }
      },
      async cancel() {
        // The reader went away: stop paging.
        await rest.return?.();
      },
    },
    { highWaterMark: 1 },
  );
}
