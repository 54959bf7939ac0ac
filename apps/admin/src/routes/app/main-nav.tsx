import type { Permission } from "@inkwell/auth/permissions";
import {
  IconFileText,
  IconGauge,
  IconKey,
  IconListDetails,
  IconMail,
  IconMessages,
  IconSettings,
  IconStack2,
  IconTags,
  IconUserCircle,
  IconUsers,
  IconWebhook,
} from "@tabler/icons-react";
import type { ComponentType } from "react";
import { NavLinkItem } from "../../components/router-links.tsx";
import { useCan } from "../../lib/permissions.ts";

interface NavEntry {
  to:
    | "/"
    | "/users"
    | "/articles"
    | "/comments"
    | "/tags"
    | "/audit"
    | "/jobs"
    | "/outbox"
    | "/webhooks"
    | "/settings"
    | "/account"
    | "/api-keys";
  label: string;
  icon: ComponentType<{ size?: number; stroke?: number }>;
  /** Hidden without it; the route refuses too. */
  permission?: Permission;
}

const entries: NavEntry[] = [
  { to: "/", label: "Dashboard", icon: IconGauge, permission: "dashboard:read" },
  { to: "/users", label: "Users", icon: IconUsers, permission: "users:read" },
  { to: "/articles", label: "Articles", icon: IconFileText, permission: "content:moderate" },
  { to: "/comments", label: "Comments", icon: IconMessages, permission: "content:moderate" },
  { to: "/tags", label: "Tags", icon: IconTags, permission: "tags:manage" },
  { to: "/audit", label: "Audit log", icon: IconListDetails, permission: "audit:read" },
  { to: "/settings", label: "Settings", icon: IconSettings, permission: "users:manage" },
  { to: "/jobs", label: "Jobs", icon: IconStack2, permission: "jobs:manage" },
  { to: "/outbox", label: "Outbox", icon: IconMail, permission: "outbox:read" },
  { to: "/webhooks", label: "Webhooks", icon: IconWebhook, permission: "webhooks:manage" },
  { to: "/account", label: "My account", icon: IconUserCircle },
  { to: "/api-keys", label: "API keys", icon: IconKey, permission: "keys:manage" },
];

export function MainNav() {
  const can = useCan();
  return (
    <nav>
      {entries
        .filter((entry) => !entry.permission || can(entry.permission))
        .map(({ to, label, icon: Icon }) => (
          <NavLinkItem
            key={to}
            to={to}
            label={label}
            leftSection={<Icon size={18} stroke={1.6} />}
            activeOptions={{ exact: to === "/", includeSearch: false }}
            activeProps={{ active: true }}
            variant="light"
            style={{ borderRadius: "var(--mantine-radius-md)" }}
          />
        ))}
    </nav>
  );
}
