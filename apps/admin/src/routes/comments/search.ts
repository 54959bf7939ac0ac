import type { SearchSchemaInput } from "@tanstack/react-router";
import { pickInt, pickOne, pickPageSize, pickText } from "../../lib/search.ts";
import { type ModerationState, moderationStates } from "../articles/search.ts";

export interface CommentsSearch {
  page: number;
  pageSize: number;
  state?: ModerationState;
  search?: string;
}

export const commentsSearchDefaults = { page: 1, pageSize: 20 } as const;

export function validateCommentsSearch(input: Partial<CommentsSearch> & SearchSchemaInput): CommentsSearch {
  const raw = input as unknown as Record<string, unknown>;
  return {
    page: pickInt(raw.page, 1),
    pageSize: pickPageSize(raw.pageSize),
    state: pickOne(raw.state, moderationStates),
    search: pickText(raw.search),
  };
}
