import { Button, EmptyState } from "@mantine/core";
import type { ReactNode } from "react";

export interface TableFilter {
  /** As in "clear the role filter": "role filter", "search". */
  label: string;
  /** Set in the current view. */
  active: boolean;
}

interface FilteredEmptyStateProps {
  icon: ReactNode;
  /** Plural: "users". */
  noun: string;
  filters: TableFilter[];
  /** Clears every filter; the button shows only while one is set. */
  onClear?: () => void;
  /** Shown when no filter is set and there is nothing at all. */
  emptyDescription?: string;
}

/** "the search and the role filter": the labels as a list in prose. */
function listInProse(labels: string[]): string {
  const named = labels.map((label) => `the ${label}`);
  if (named.length <= 1) return named.join("");
  return `${named.slice(0, -1).join(", ")} and ${named.at(-1)}`;
}

/**
 * A table's empty state that advises clearing only the filters the view has
 * set; with none set, it says there is nothing yet.
 */
export function FilteredEmptyState({ icon, noun, filters, onClear, emptyDescription }: FilteredEmptyStateProps) {
  const active = filters.filter((filter) => filter.active).map((filter) => filter.label);
  if (active.length === 0) {
    return <EmptyState icon={icon} title={`No ${noun} yet`} description={emptyDescription} />;
  }
  return (
    <EmptyState
      icon={icon}
      title={`No ${noun} match`}
      description={`Try changing or clearing ${listInProse(active)}.`}
      data-testid="filtered-empty-state"
    >
      {onClear && (
        <Button variant="light" size="xs" onClick={onClear}>
          Clear {active.length === 1 ? "it" : "them"}
        </Button>
      )}
    </EmptyState>
  );
}
