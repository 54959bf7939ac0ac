import { type ModerationState, moderationStates } from "@inkwell/auth/enums";
import { CloseButton, Group, SegmentedControl, TextInput } from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { IconSearch } from "@tabler/icons-react";
import { useEffect, useState } from "react";
import { capitalize } from "../../lib/format.ts";

interface ModerationFiltersProps {
  state: ModerationState | undefined;
  search: string | undefined;
  searchLabel: string;
  onChange: (changes: { state?: ModerationState; search?: string }) => void;
}

/** State (all / visible / hidden) and a debounced search, both kept in the URL by the page. */
export function ModerationFilters({ state, search, searchLabel, onChange }: ModerationFiltersProps) {
  const [text, setText] = useState(search ?? "");
  const commit = useDebouncedCallback((value: string) => onChange({ state, search: value.trim() || undefined }), 300);
  useEffect(() => setText(search ?? ""), [search]);

  return (
    <Group gap="sm" mb="md" align="flex-end">
      <TextInput
        label="Search"
        placeholder={searchLabel}
        leftSection={<IconSearch size={16} />}
        w={{ base: "100%", xs: 300 }}
        value={text}
        onChange={(event) => {
          setText(event.currentTarget.value);
          commit(event.currentTarget.value);
        }}
        rightSection={
          text ? (
            <CloseButton
              aria-label="Clear search"
              size="sm"
              onClick={() => {
                setText("");
                onChange({ state, search: undefined });
              }}
            />
          ) : null
        }
      />
      <SegmentedControl
        aria-label="State"
        data={[
          { value: "all", label: "All" },
          ...moderationStates.map((state) => ({ value: state, label: capitalize(state) })),
        ]}
        value={state ?? "all"}
        onChange={(value) => onChange({ search, state: value === "all" ? undefined : (value as ModerationState) })}
      />
    </Group>
  );
}
