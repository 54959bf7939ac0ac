import { MAX_MODERATION_REASON_LENGTH, moderationStates } from "@inkwell/auth";
import { z } from "zod";
import { idInput, MAX_TAG_LENGTH, searchInput, timestampInput } from "./inputs.ts";

/** Why a moderator hides something: optional, trimmed, empty means none. */
export const moderationReasonInput = z
  .string()
  .trim()
  .max(MAX_MODERATION_REASON_LENGTH, `Keep the reason to ${MAX_MODERATION_REASON_LENGTH} characters or fewer.`)
  .transform((value) => (value === "" ? undefined : value))
  .optional();

/** Exact text for a filter, trimmed; empty means no filter. */
const exactFilterText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Use at most ${max} characters.`)
    .transform((value) => (value === "" ? undefined : value))
    .optional();

/** What articles and comments are filtered by, in lists and in "every matching" bulk actions. */
const contentFilterFields = {
  state: z.enum(moderationStates).optional(),
  search: searchInput,
  authorId: idInput.optional(),
  /** The author's username, any case. */
  author: exactFilterText(40),
  /** A tag's exact name: articles carrying it, comments on such articles. */
  tag: exactFilterText(MAX_TAG_LENGTH),
  /** Written at or after this time. */
  createdFrom: timestampInput.optional(),
  /** Written at or before this time. */
  createdTo: timestampInput.optional(),
};

const rangeInOrder = {
  check: (input: { createdFrom?: Date | undefined; createdTo?: Date | undefined }) =>
    !input.createdFrom || !input.createdTo || input.createdFrom <= input.createdTo,
  message: { message: "The start of the date range must not be after its end.", path: ["createdFrom"] },
};

export const articleFilterInput = z.object(contentFilterFields).refine(rangeInOrder.check, rangeInOrder.message);

export const commentFilterInput = z
  .object({ ...contentFilterFields, articleId: idInput.optional() })
  .refine(rangeInOrder.check, rangeInOrder.message);

/** The filter fields as plain shapes, for list inputs that add paging and sorting. */
export const articleFilterFields = contentFilterFields;
export const commentFilterFields = { ...contentFilterFields, articleId: idInput.optional() };
export const createdRangeInOrder = rangeInOrder;
