import type { Permission } from "@inkwell/auth/permissions";
import { useSuspenseQuery } from "@tanstack/react-query";
import { useCallback } from "react";
import { trpc } from "./trpc.ts";

/** The signed-in user; the app layout loads it before rendering, so this never suspends there. */
export function useMe() {
  return useSuspenseQuery(trpc.auth.me.queryOptions()).data;
}

/** `can("users:manage")`: the same permission map the server enforces, from `auth.me`. */
export function useCan(): (permission: Permission) => boolean {
  const { permissions } = useMe();
  return useCallback((permission) => permissions.includes(permission), [permissions]);
}
