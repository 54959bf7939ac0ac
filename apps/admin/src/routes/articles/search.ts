import type { SearchSchemaInput } from "@tanstack/react-router";
import { pickDirection, pickInt, pickOne, pickPageSize, pickText } from "../../lib/search.ts";

export const moderationStates = ["visible", "hidden"] as const;
export type ModerationState = (typeof moderationStates)[number];

export interface ArticlesSearch {
  page: number;
  pageSize: number;
  sort: "createdAt" | "title";
  direction: "asc" | "desc";
  state?: ModerationState;
  search?: string;
}

export const articlesSearchDefaults = { page: 1, pageSize: 20, sort: "createdAt", direction: "desc" } as const;

export function validateArticlesSearch(input: Partial<ArticlesSearch> & SearchSchemaInput): ArticlesSearch {
  const raw = input as unknown as Record<string, unknown>;
  return {
    page: pickInt(raw.page, 1),
    pageSize: pickPageSize(raw.pageSize),
    sort: pickOne(raw.sort, ["createdAt", "title"] as const) ?? "createdAt",
    direction: pickDirection(raw.direction),
    state: pickOne(raw.state, moderationStates),
    search: pickText(raw.search),
  };
}
