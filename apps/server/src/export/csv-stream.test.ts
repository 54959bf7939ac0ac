import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { type CsvColumn, csvStream } from "./csv-stream.ts";

interface Row {
  id: number;
  text: string | null;
  at?: Date;
  flag?: boolean;
}

const columns: CsvColumn<Row>[] = [
  { header: "id", value: (row) => row.id },
  { header: "text", value: (row) => row.text },
  { header: "at", value: (row) => row.at },
  { header: "flag", value: (row) => row.flag },
];

/** The bytes as written, byte-order mark included (`Response.text()` would drop it). */
async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(await new Response(stream).arrayBuffer());
}

async function* pagesOf(pages: Row[][]) {
  for (const page of pages) yield page;
}

const parsed = (text: string) => parse(text, { bom: true, columns: true }) as Record<string, string>[];

describe("csvStream", () => {
  it("writes RFC 4180 CSV: quotes, commas, line breaks; times as ISO 8601; NUL made visible", async () => {
    const at = new Date("2024-05-06T07:08:09.010Z");
    const rows: Row[] = [
      { id: 1, text: 'a "quoted", comma', at, flag: true },
      { id: 2, text: "two\r\nlines\nand\rmore", flag: false },
      { id: 3, text: "nul\u0000inside" },
      { id: 4, text: null },
      { id: 5, text: "" },
    ];
    const text = await readAll(csvStream(columns, rows, pagesOf([]), () => {}));
    expect(text.startsWith("\uFEFFid,text,at,flag\r\n")).toBe(true);
    expect(text).not.toContain("\u0000");
    expect(parsed(text)).toEqual([
      { id: "1", text: 'a "quoted", comma', at: "2024-05-06T07:08:09.010Z", flag: "true" },
      { id: "2", text: "two\r\nlines\nand\rmore", at: "", flag: "false" },
      { id: "3", text: "nul\uFFFDinside", at: "", flag: "" },
      { id: "4", text: "", at: "", flag: "" },
      { id: "5", text: "", at: "", flag: "" },
    ]);
  });

  it("makes every cell that a spreadsheet would run as a formula read as text", async () => {
    const hostile = ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", "=cmd|' /C calc'!A0"];
    const rows = hostile.map((text, id) => ({ id, text }));
    const read = parsed(await readAll(csvStream(columns, rows, pagesOf([]), () => {})));
    expect(read.map((row) => row.text)).toEqual(hostile.map((text) => `'${text}`));
    // Numbers are numbers, not text: a negative id would stay as it is.
    const negative = parsed(await readAll(csvStream(columns, [{ id: -5, text: "x" }], pagesOf([]), () => {})));
    expect(negative[0]?.id).toBe("-5");
  });

  it("asks for the next page only when the reader wants more, and stops when the reader goes away", async () => {
    let asked = 0;
    let stopped = false;
    async function* endless(): AsyncGenerator<Row[]> {
      try {
        for (let page = 1; ; page++) {
          asked++;
          yield Array.from({ length: 100 }, (_, i) => ({ id: page * 100 + i, text: "x".repeat(100) }));
        }
      } finally {
        stopped = true;
      }
    }
    const stream = csvStream(columns, [{ id: 0, text: "first" }], endless(), () => {});
    const reader = stream.getReader();
    await reader.read();
    // Let the stream fill its queue (one chunk) if it would: it may ask for one page ahead, no more.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(asked).toBeLessThanOrEqual(1);
    for (let i = 0; i < 5; i++) await reader.read();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(asked).toBeLessThanOrEqual(6);
    await reader.cancel();
    expect(stopped).toBe(true);
    const after = asked;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(asked).toBe(after);
  });

  it("aborts the download, rather than end it as if complete, when a later page fails", async () => {
    async function* failing(): AsyncGenerator<Row[]> {
      yield [{ id: 2, text: "second" }];
      throw new Error("database went away");
    }
    const errors: unknown[] = [];
    const stream = csvStream(columns, [{ id: 1, text: "first" }], failing(), (error) => errors.push(error));
    await expect(readAll(stream)).rejects.toThrow("database went away");
    expect(errors).toHaveLength(1);
  });
});
