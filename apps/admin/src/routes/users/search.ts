import { userSortKeys, userStatuses } from "@inkwell/auth/enums";
import { roles } from "@inkwell/auth/permissions";
import { z } from "zod/mini";
import {
  directionParam,
  oneOfParam,
  pageParam,
  pageSizeParam,
  pagingDefaults,
  textParam,
  withFallback,
} from "../../lib/search.ts";

/** The view the URL need not mention: these stay out of it. */
export const usersSearchDefaults = { ...pagingDefaults, sort: "createdAt", direction: "desc" } as const;

/** The users table's state, kept in the URL so a view can be shared and survives a reload. */
export const usersSearchSchema = z.object({
  page: pageParam,
  pageSize: pageSizeParam,
  sort: withFallback(z.enum(userSortKeys), usersSearchDefaults.sort),
  direction: directionParam,
  role: oneOfParam(roles),
  status: oneOfParam(userStatuses),
  search: textParam(),
});

export type UsersSearch = z.output<typeof usersSearchSchema>;
