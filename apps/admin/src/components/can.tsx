import type { Permission } from "@inkwell/auth/permissions";
import type { ReactNode } from "react";
import { useCan } from "../lib/permissions.ts";

/** Renders its children only for users holding `permission`. */
export function Can({ permission, children }: { permission: Permission; children: ReactNode }) {
  const can = useCan();
  return can(permission) ? children : null;
}
