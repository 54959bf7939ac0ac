import { type Role, roles } from "@inkwell/auth/permissions";
import type { SearchSchemaInput } from "@tanstack/react-router";
import { pickDirection, pickInt, pickOne, pickPageSize, pickText } from "../../lib/search.ts";
import type { RouterInputs } from "../../lib/trpc.ts";

type ListInput = RouterInputs["users"]["list"];
export type UserSortKey = NonNullable<ListInput["sort"]>;
export type UserStatus = NonNullable<ListInput["status"]>;

export const userSortKeys = [
  "id",
  "username",
  "email",
  "role",
  "status",
  "createdAt",
  "updatedAt",
] as const satisfies readonly UserSortKey[];
export const userStatuses = ["active", "suspended"] as const satisfies readonly UserStatus[];

/** The users table's state, kept in the URL so a view can be shared and survives a reload. */
export interface UsersSearch {
  page: number;
  pageSize: number;
  sort: UserSortKey;
  direction: "asc" | "desc";
  role?: Role;
  status?: UserStatus;
  search?: string;
}

export const usersSearchDefaults = { page: 1, pageSize: 20, sort: "createdAt", direction: "desc" } as const;

export function validateUsersSearch(input: Partial<UsersSearch> & SearchSchemaInput): UsersSearch {
  const raw = input as unknown as Record<string, unknown>;
  return {
    page: pickInt(raw.page, usersSearchDefaults.page),
    pageSize: pickPageSize(raw.pageSize, usersSearchDefaults.pageSize),
    sort: pickOne(raw.sort, userSortKeys) ?? usersSearchDefaults.sort,
    direction: raw.direction === undefined ? usersSearchDefaults.direction : pickDirection(raw.direction),
    role: pickOne(raw.role, roles),
    status: pickOne(raw.status, userStatuses),
    search: pickText(raw.search),
  };
}
