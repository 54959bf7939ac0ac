/**
 * The filters the articles and comments tables share (author, tag, a range of
 * days), as URL params and as the API's filter. The URL keeps days
 * (`?from=2024-01-01&to=2024-01-31`); the API takes the operator's local
 * start of the first day and end of the last.
 */
import type { ModerationState } from "@inkwell/auth/enums";
import { z } from "zod/mini";
import { optionalParam } from "../../lib/search.ts";

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar day as `YYYY-MM-DD`, from 1970 to 9999; anything else is no filter. */
export const dayParam = optionalParam(
  z.string().check(
    z.refine((value) => {
      const match = DAY.exec(value);
      if (!match) return false;
      const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
      const date = new Date(Date.UTC(year, month - 1, day));
      return year >= 1970 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
    }),
  ),
);

export interface ContentFilterView {
  state?: ModerationState | undefined;
  search?: string | undefined;
  author?: string | undefined;
  tag?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

// The times the API accepts: local days at either end may reach past them by the time zone's offset.
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const within = (time: number) => new Date(Math.min(Math.max(time, EARLIEST), LATEST));

/** The local start of a `YYYY-MM-DD` day, or its last millisecond. */
const startOfDay = (day: string) => within(new Date(`${day}T00:00:00`).getTime());
const endOfDay = (day: string) => within(new Date(`${day}T23:59:59.999`).getTime());

/** The API's filter for what the URL shows; a range typed backwards is read forwards. */
export function toContentFilter(view: ContentFilterView) {
  const [from, to] = view.from && view.to && view.from > view.to ? [view.to, view.from] : [view.from, view.to];
  return {
    state: view.state,
    search: view.search,
    author: view.author,
    tag: view.tag,
    createdFrom: from ? startOfDay(from) : undefined,
    createdTo: to ? endOfDay(to) : undefined,
  };
}

/** Whether the view narrows the rows at all (an empty table then suggests clearing filters). */
export function isFiltered(view: ContentFilterView): boolean {
  return Boolean(view.state || view.search || view.author || view.tag || view.from || view.to);
}
