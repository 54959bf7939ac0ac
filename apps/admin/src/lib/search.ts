/**
 * Building blocks for the routes' URL search params: zod schemas, which the
 * router takes as `validateSearch` (zod 4 implements Standard Schema). Anything
 * a person can type into the address bar must come out as a valid view, so each
 * field falls back (`z.catch`) instead of failing; defaults are left out of the
 * URL by each route's `stripSearchParams`.
 *
 * `zod/mini` is zod with functions in place of methods: the same schemas in a
 * fraction of the bytes, which matters here because the router validates before
 * any page's code has loaded, so all of this ships in the first download.
 */
import { sortDirections } from "@inkwell/auth/enums";
import { z } from "zod/mini";
import type { util } from "zod/v4/core";

export const pageSizes = [10, 20, 50, 100] as const;

/** Where a paged table starts when the URL does not say. */
export const pagingDefaults = { page: 1, pageSize: 20 } as const;

/** `schema`, or `value` when the param is missing (`default`) or invalid (`catch`). */
export function withFallback<T extends z.ZodMiniType>(schema: T, value: util.NoUndefined<z.output<T>>) {
  return z.catch(z._default(schema, value), value);
}

/** `schema`, or nothing when the param is missing or invalid. */
export function optionalParam<T extends z.ZodMiniType>(schema: T) {
  return z.catch(z.optional(schema), undefined);
}

/** The router parses `?page=2` as the number 2 but keeps a quoted `"2"` as text: both count. */
const wholeNumber = (min: number, max: number) =>
  z.pipe(z.union([z.number(), z.pipe(z.string(), z.transform(Number))]), z.int().check(z.minimum(min), z.maximum(max)));

export const pageParam = withFallback(wholeNumber(1, 100_000), pagingDefaults.page);

export const pageSizeParam = withFallback(
  z.pipe(z.union([z.number(), z.pipe(z.string(), z.transform(Number))]), z.literal(pageSizes)),
  pagingDefaults.pageSize,
);

/** A database id. */
export const idParam = optionalParam(wholeNumber(1, 2_147_483_647));

/** Anything but "asc" sorts newest (or last) first. */
export const directionParam = withFallback(z.enum(sortDirections), "desc");

/** One of `values`, or nothing (no filter). */
export function oneOfParam<const T extends readonly [string, ...string[]]>(values: T) {
  return optionalParam(z.enum(values));
}

/**
 * Free text, trimmed and cut to `max` characters; empty means nothing. The
 * router parses `?search=42` as a number, which counts as the text "42".
 */
export function textParam(max = 100) {
  return optionalParam(
    z.pipe(
      z.union([z.string(), z.number()]),
      z.transform((value) => String(value).trim().slice(0, max) || undefined),
    ),
  );
}

/** A point in time in any form `Date` reads, kept in the URL as an ISO string. */
export const timeParam = optionalParam(
  z.pipe(
    z.pipe(z.string(), z.coerce.date()),
    z.transform((time: Date) => time.toISOString()),
  ),
);

/** Narrows a value, such as a table's sort column id, to one of `values`. */
export function isOneOf<T extends string>(values: readonly T[], value: string | undefined): value is T {
  return (values as readonly (string | undefined)[]).includes(value);
}
