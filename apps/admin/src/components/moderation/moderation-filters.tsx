import { type ModerationState, moderationStates } from "@inkwell/auth/enums";
import { Button, Group, SegmentedControl, TextInput } from "@mantine/core";
import { IconAt, IconSearch, IconTag, IconX } from "@tabler/icons-react";
import { capitalize } from "../../lib/format.ts";
import { DebouncedTextFilter } from "../debounced-text-filter.tsx";
import { type ContentFilterView, isFiltered } from "./content-filter.ts";

interface ModerationFiltersProps {
  view: ContentFilterView;
  searchLabel: string;
  onChange: (changes: Partial<ContentFilterView>) => void;
}

/** Search, author, tag, a range of days and the state, all kept in the URL by the page. */
export function ModerationFilters({ view, searchLabel, onChange }: ModerationFiltersProps) {
  return (
    <Group gap="sm" mb="md" align="flex-end">
      <DebouncedTextFilter
        label="Search"
        placeholder={searchLabel}
        icon={<IconSearch size={16} />}
        value={view.search}
        w={{ base: "100%", xs: 200 }}
        maxLength={100}
        onCommit={(search) => onChange({ search })}
      />
      <DebouncedTextFilter
        label="Author"
        placeholder="Username"
        icon={<IconAt size={16} />}
        value={view.author}
        w={{ base: "100%", xs: 200 }}
        maxLength={40}
        onCommit={(author) => onChange({ author })}
      />
      <DebouncedTextFilter
        label="Tag"
        placeholder="Exact tag"
        icon={<IconTag size={16} />}
        value={view.tag}
        w={{ base: "100%", xs: 200 }}
        maxLength={40}
        onCommit={(tag) => onChange({ tag })}
      />
      <TextInput
        type="date"
        label="From"
        w={{ base: "47%", xs: 150 }}
        value={view.from ?? ""}
        max={view.to}
        onChange={(event) => onChange({ from: event.currentTarget.value || undefined })}
      />
      <TextInput
        type="date"
        label="To"
        w={{ base: "47%", xs: 150 }}
        value={view.to ?? ""}
        min={view.from}
        onChange={(event) => onChange({ to: event.currentTarget.value || undefined })}
      />
      <SegmentedControl
        aria-label="State"
        data={[
          { value: "all", label: "All" },
          ...moderationStates.map((state) => ({ value: state, label: capitalize(state) })),
        ]}
        value={view.state ?? "all"}
        onChange={(value) => onChange({ state: value === "all" ? undefined : (value as ModerationState) })}
      />
      {isFiltered(view) && (
        <Button
          variant="subtle"
          leftSection={<IconX size={14} />}
          onClick={() =>
            onChange({
              state: undefined,
              search: undefined,
              author: undefined,
              tag: undefined,
              from: undefined,
              to: undefined,
            })
          }
        >
          Clear filters
        </Button>
      )}
    </Group>
  );
}
