import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, sortDirections } from "@inkwell/auth";
import { z } from "zod";
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, parseCursor } from "../services/cursor.ts";

/** Field rules shared by every procedure that takes them. */
export const emailInput = z.email({ error: "Enter a valid email address." }).trim().max(254);

export const usernameInput = z
  .string()
  .trim()
  .min(1, "Choose a username.")
  .max(40, "Use at most 40 characters.")
  .regex(/^[A-Za-z0-9_.-]+$/, "Use letters, digits, '.', '_' and '-' only.");

export const newPasswordInput = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
  .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`);

/** Sign-in accepts any length up to the maximum: old passwords may predate today's rules. */
export const passwordInput = z.string().min(1, "Enter your password.").max(PASSWORD_MAX_LENGTH);

/** A code from an authenticator app: six digits, with spaces or dashes between groups if people type them. */
export const totpCodeInput = z
  .string()
  .trim()
  .min(1, "Enter the code from your authenticator app.")
  .max(16, "Enter the 6-digit code from your authenticator app.")
  .regex(/^[0-9\s-]+$/, "Enter the 6-digit code from your authenticator app.");

/** One of the recovery codes shown when two-factor sign-in was turned on (dashes and case do not matter). */
export const recoveryCodeInput = z.string().trim().min(1, "Enter one of your recovery codes.").max(64);

/** For `.refine`: exactly one of the fields is given (e.g. a code or a recovery code). */
export const exactlyOne =
  <K extends string>(...fields: K[]) =>
  (input: Partial<Record<K, unknown>>) =>
    fields.filter((field) => input[field] !== undefined).length === 1;

/** Empty text clears an optional field. */
const clearable = <T extends z.ZodType<string | null>>(schema: T) =>
  z.preprocess((value) => (value === "" ? null : value), schema.nullable());

export const bioInput = clearable(z.string().max(1000, "Use at most 1,000 characters."));
/**
 * An avatar reference: any text up to 2,048 characters, as the RealWorld
 * contract types it (its frontends' XSS tests store `javascript:` URLs and
 * expect the UI, not the API, to neutralise them). Inkwell's own UIs render
 * only http(s) images; other clients must do the same (docs/security.md).
 */
export const imageInput = clearable(z.string().trim().max(2048, "Use at most 2,048 characters."));

export const idInput = z.number().int().positive().max(2_147_483_647);

/** How a new session is handed over: a cookie for browsers, a token in the body for other clients. */
export const sessionTransportInput = z.enum(["cookie", "token"]).default("cookie");

export const MAX_PAGE_SIZE = 100;

/** Page-numbered paging for operator tables. */
export const pageInput = {
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE, `Pages hold at most ${MAX_PAGE_SIZE} rows.`).default(20),
};

export const sortDirectionInput = z.enum(sortDirections).default("desc");

/** Free-text search: trimmed, at most 100 characters; empty means no search. */
export const searchInput = z
  .string()
  .trim()
  .max(100)
  .transform((value) => (value === "" ? undefined : value))
  .optional();

export const MAX_TAG_LENGTH = 40;

/** A tag: trimmed, 1 to 40 characters, no commas (they separate tags in forms and the CLI). */
export const tagNameInput = z
  .string()
  .trim()
  .min(1, "A tag cannot be empty.")
  .max(MAX_TAG_LENGTH, `Tags have at most ${MAX_TAG_LENGTH} characters.`)
  .regex(/^[^,]+$/, "Tags cannot contain commas.");

/** A selection of rows for bulk actions. */
export const idsInput = z
  .array(idInput)
  .min(1, "Select at least one.")
  .max(MAX_PAGE_SIZE, `Select at most ${MAX_PAGE_SIZE}.`);

export const MAX_TAGS = 10;

export const articleFields = {
  title: z.string().trim().min(1, "Give the article a title.").max(200, "Titles have at most 200 characters."),
  description: z
    .string()
    .trim()
    .min(1, "Describe the article in a sentence.")
    .max(500, "Descriptions have at most 500 characters."),
  body: z.string().min(1, "Write the article's body.").max(100_000, "Bodies have at most 100,000 characters."),
  tagList: z.array(tagNameInput).max(MAX_TAGS, `Use at most ${MAX_TAGS} tags.`),
};

export const slugInput = z.string().trim().min(1).max(300);

/** A point in time between 1970 and 9999: beyond that PostgreSQL and JavaScript disagree. */
export const timestampInput = z
  .date({ error: "Expected a date." })
  .min(EARLIEST_TIMESTAMP, "Choose a date from 1970 on.")
  .max(LATEST_TIMESTAMP, "Choose a date before the year 10000.");

/** A keyset cursor, decoded and checked here: only a `nextCursor` a previous page returned passes. */
export const cursorInput = z
  .string()
  .max(200)
  .transform((value, ctx) => {
    const cursor = parseCursor(value);
    if (!cursor) {
      ctx.addIssue({ code: "custom", message: "Invalid cursor: pass back the nextCursor of a previous page." });
      return z.NEVER;
    }
    return cursor;
  });

/** Public lists: a page of at most 100, by offset (RealWorld) or by keyset cursor (feeds). */
export const listWindowInput = {
  limit: z.number().int().min(1).max(MAX_PAGE_SIZE, `Pages hold at most ${MAX_PAGE_SIZE} items.`).default(20),
  offset: z.number().int().min(0).max(100_000, "Use the cursor to page this deep.").default(0),
  cursor: cursorInput.optional(),
};

/** The id of the last item a live stream delivered, from which a reconnecting client resumes (tracked ids are strings). */
export const lastEventIdInput = z
  .string()
  .regex(/^\d{1,15}$/, "Expected the id of a received event.")
  .transform(Number);
