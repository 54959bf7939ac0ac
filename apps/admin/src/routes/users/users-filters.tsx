import { userStatuses } from "@inkwell/auth/enums";
import { roles } from "@inkwell/auth/permissions";
import { CloseButton, Group, Select, TextInput } from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { IconSearch } from "@tabler/icons-react";
import { useEffect, useState } from "react";
import { capitalize } from "../../lib/format.ts";
import type { UsersSearch } from "./search.ts";

interface UsersFiltersProps {
  search: UsersSearch;
  onChange: (changes: Partial<Pick<UsersSearch, "role" | "status" | "search">>) => void;
}

/** Search (debounced into the URL), role and status. */
export function UsersFilters({ search, onChange }: UsersFiltersProps) {
  const [text, setText] = useState(search.search ?? "");
  const commitText = useDebouncedCallback((value: string) => onChange({ search: value.trim() || undefined }), 300);
  // Back/forward and shared links change the URL under the input.
  useEffect(() => setText(search.search ?? ""), [search.search]);

  return (
    <Group gap="sm" mb="md" align="flex-end">
      <TextInput
        label="Search"
        placeholder="Username or email"
        leftSection={<IconSearch size={16} />}
        w={{ base: "100%", xs: 280 }}
        value={text}
        onChange={(event) => {
          setText(event.currentTarget.value);
          commitText(event.currentTarget.value);
        }}
        rightSection={
          text ? (
            <CloseButton
              aria-label="Clear search"
              size="sm"
              onClick={() => {
                setText("");
                onChange({ search: undefined });
              }}
            />
          ) : null
        }
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
