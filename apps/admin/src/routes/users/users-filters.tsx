import { userStatuses } from "@inkwell/auth/enums";
import { roles } from "@inkwell/auth/permissions";
import { Group, Select } from "@mantine/core";
import { IconSearch } from "@tabler/icons-react";
import { DebouncedTextFilter } from "../../components/debounced-text-filter.tsx";
import { capitalize } from "../../lib/format.ts";
import type { UsersSearch } from "./search.ts";

interface UsersFiltersProps {
  search: UsersSearch;
  onChange: (changes: Partial<Pick<UsersSearch, "role" | "status" | "search">>) => void;
}

/** Search (debounced into the URL), role and status. */
export function UsersFilters({ search, onChange }: UsersFiltersProps) {
  return (
    <Group gap="sm" mb="md" align="flex-end">
      <DebouncedTextFilter
        label="Search"
        placeholder="Username or email"
        icon={<IconSearch size={16} />}
        w={{ base: "100%", xs: 280 }}
        value={search.search}
        onCommit={(text) => onChange({ search: text })}
      />
      <Select
        label="Role"
        placeholder="All roles"
        clearable
        w={160}
        data={roles.map((role) => ({ value: role, label: capitalize(role) }))}
        value={search.role ?? null}
        onChange={(value) => onChange({ role: (value as UsersSearch["role"]) ?? undefined })}
      />
      <Select
        label="Status"
        placeholder="Any status"
        clearable
        w={160}
        data={userStatuses.map((status) => ({ value: status, label: capitalize(status) }))}
        value={search.status ?? null}
        onChange={(value) => onChange({ status: (value as UsersSearch["status"]) ?? undefined })}
      />
    </Group>
  );
}
