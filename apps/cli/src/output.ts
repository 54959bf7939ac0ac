import Table from "cli-table3";
import type { Io } from "./io.ts";

type Cell = string | number | boolean | null | undefined;

const NO_ROW_SEPARATORS = { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" };

/** Tables and lines for people, JSON for scripts (`--json`). */
export class Output {
  constructor(
    private readonly io: Io,
    readonly json: boolean,
  ) {}

  line(text = ""): void {
    this.io.stdout.write(`${text}\n`);
  }

  /** Notes that are not the command's result go to stderr, so stdout stays parseable. */
  note(text: string): void {
    this.io.stderr.write(`${text}\n`);
  }

  jsonValue(value: unknown): void {
    this.line(JSON.stringify(value, null, 2));
  }

  jsonLine(value: unknown): void {
    this.line(JSON.stringify(value));
  }

  table(head: string[], rows: Cell[][]): void {
    // Colours only on a terminal; piped output stays plain text.
    const style = this.io.stdout.isTTY ? {} : { head: [], border: [] };
    const table = new Table({ head, style, chars: NO_ROW_SEPARATORS });
    table.push(...rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? "" : String(cell)))));
    this.line(table.toString());
  }

  /** Two columns of labels and values, for one record. */
  record(fields: [string, Cell][]): void {
    this.table(["Field", "Value"], fields);
  }

  /** `value` as JSON with `--json`, otherwise whatever `forPeople` prints. */
  show(value: unknown, forPeople: () => void): void {
    if (this.json) this.jsonValue(value);
    else forPeople();
  }
}

export function formatDate(date: Date | null | undefined): string {
  return date ? date.toISOString().replace(/\.\d{3}Z$/, "Z") : "";
}
