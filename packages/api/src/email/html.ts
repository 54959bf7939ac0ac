import { htmlEscape } from "escape-goat";

/** Markup built by `html`: inserted into another `html` template as it is, not escaped again. */
export class SafeHtml {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return value.map(render).join("");
  if (value === null || value === undefined || value === false) return "";
  return htmlEscape(String(value));
}

/**
 * Email markup with every interpolated value escaped (`& < > " '`), so user
 * content (titles, comments, names) is text, never markup. Nest templates to
 * compose them; arrays are joined; `null`, `undefined` and `false` render nothing.
 * Values land in text or in double-quoted attributes only; URLs come from the link builder.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  return new SafeHtml(strings.reduce((out, part, i) => out + part + (i < values.length ? render(values[i]) : ""), ""));
}
