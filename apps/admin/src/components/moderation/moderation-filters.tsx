import { type ModerationState, moderationStates } from "@inkwell/auth/enums";
import { Button, CloseButton, Group, SegmentedControl, TextInput } from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { IconAt, IconSearch, IconTag, IconX } from "@tabler/icons-react";
import { type ReactNode, useEffect, useState } from "react";
import { capitalize } from "../../lib/format.ts";
import { type ContentFilterView, isFiltered } from "./content-filter.ts";

interface ModerationFiltersProps {
  view: ContentFilterView;
  searchLabel: string;
  onChange: (changes: Partial<ContentFilterView>) => void;
}

interface DebouncedTextProps {
  label: string;
  placeholder: string;
  icon: ReactNode;
  value: string | undefined;
  maxLength: number;
  onCommit: (value: string | undefined) => void;
}

/** A text filter that reaches the URL 300 ms after typing stops, and follows the URL back (Back, a link). */
function DebouncedText({ label, placeholder, icon, value, maxLength, onCommit }: DebouncedTextProps) {
  const [text, setText] = useState(value ?? "");
  const commit = useDebouncedCallback((next: string) => onCommit(next.trim() || undefined), 300);
  useEffect(() => setText(value ?? ""), [value]);
  return (
    <TextInput
      label={label}
      placeholder={placeholder}
      leftSection={icon}
      w={{ base: "100%", xs: 200 }}
      maxLength={maxLength}
      value={text}
      onChange={(event) => {
        setText(event.currentTarget.value);
        commit(event.currentTarget.value);
      }}
      rightSection={
        text ? (
          <CloseButton
            aria-label={`Clear ${label.toLowerCase()}`}
            size="sm"
            onClick={() => {
              setText("");
              onCommit(undefined);
            }}
          />
        ) : null
      }
    />
  );
}

/** Search, author, tag, a range of days and the state, all kept in the URL by the page. */
export function ModerationFilters({ view, searchLabel, onChange }: ModerationFiltersProps) {
  return (
    <Group gap="sm" mb="md" align="flex-end">
      <DebouncedText
        label="Search"
        placeholder={searchLabel}
        icon={<IconSearch size={16} />}
        value={view.search}
        maxLength={100}
        onCommit={(search) => onChange({ search })}
      />
      <DebouncedText
        label="Author"
        placeholder="Username"
        icon={<IconAt size={16} />}
        value={view.author}
        maxLength={40}
        onCommit={(author) => onChange({ author })}
      />
      <DebouncedText
        label="Tag"
        placeholder="Exact tag"
        icon={<IconTag size={16} />}
        value={view.tag}
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
