import { InvalidArgumentError } from "commander";

/** Parsers for option values; a bad value is a usage error (exit code 2). */
export function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("Expected a whole number.");
  return Number(value);
}

export function isoDate(value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError("Expected an ISO date such as 2030-01-31 or 2030-01-31T12:00:00Z.");
  }
  return date;
}

/** Repeatable list option: `--tag a --tag b` or `--tag a,b`. */
export function collectList(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean),
  ];
}

/** Repeatable option kept whole (values may contain commas): `--header "a: 1" --header "b: 2"`. */
export function collectRepeated(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
