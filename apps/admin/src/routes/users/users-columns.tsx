import { Group, Text } from "@mantine/core";
import { createColumnHelper } from "@tanstack/react-table";
import { RoleBadge, StatusBadge, TwoFactorBadge } from "../../components/badges.tsx";
import { DateText } from "../../components/date-text.tsx";
import { AnchorLink } from "../../components/router-links.tsx";
import type { RouterOutputs } from "../../lib/trpc.ts";
import { UserActionsMenu } from "./user-actions-menu.tsx";

export type UserRow = RouterOutputs["users"]["list"]["users"][number];

const column = createColumnHelper<UserRow>();

/** Column ids are the server's sort keys, so a header click becomes `sort` in the URL. */
export function userColumns(withActions: boolean) {
  const columns = [
    column.accessor("username", {
      header: "Username",
      cell: ({ row }) => (
        <AnchorLink to="/users/$userId" params={{ userId: row.original.id }} fw={500} size="sm">
          {row.original.username}
        </AnchorLink>
      ),
    }),
    column.accessor("email", {
      header: "Email",
      cell: ({ getValue }) => (
        <Text size="sm" c="dimmed">
          {getValue()}
        </Text>
      ),
    }),
    column.accessor("role", { header: "Role", cell: ({ getValue }) => <RoleBadge role={getValue()} /> }),
    column.accessor("status", { header: "Status", cell: ({ getValue }) => <StatusBadge status={getValue()} /> }),
    column.accessor("createdAt", { header: "Joined", cell: ({ getValue }) => <DateText date={getValue()} /> }),
    column.accessor("lastSignInAt", {
      header: "Last sign-in",
      sortDescFirst: true,
      cell: ({ getValue }) => <DateText date={getValue()} empty="never" />,
    }),
    column.accessor("twoFactorEnabled", {
      header: "Two-factor",
      enableSorting: false,
      cell: ({ getValue }) =>
        getValue() ? (
          <TwoFactorBadge />
        ) : (
          <Text size="sm" c="dimmed">
            off
          </Text>
        ),
    }),
  ];
  if (!withActions) return columns;
  return [
    ...columns,
    column.display({
      id: "actions",
      header: () => <Text span>Actions</Text>,
      meta: { width: 72, align: "right" },
      cell: ({ row }) => (
        <Group justify="flex-end">
          <UserActionsMenu user={row.original} />
        </Group>
      ),
    }),
  ];
}
