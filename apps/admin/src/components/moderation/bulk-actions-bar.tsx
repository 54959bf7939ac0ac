import { MAX_MATCHING_SELECTION } from "@inkwell/auth/enums";
import { Anchor, Button, Group, Paper, Text } from "@mantine/core";
import { IconEye, IconEyeOff, IconTrash, IconX } from "@tabler/icons-react";
import { plural } from "../../lib/format.ts";

interface BulkActionsBarProps {
  /** Rows selected on this page. */
  count: number;
  noun: string;
  pending: boolean;
  /** Every row on the page is selected: offer every row the filter matches. */
  pageSelected: boolean;
  /** How many rows the filter matches, on every page. */
  total: number;
  /** The selection is every matching row, not the page's. */
  allMatching: boolean;
  onSelectAllMatching: () => void;
  onHide: () => void;
  onRestore: () => void;
  onDelete: () => void;
  onClear: () => void;
}

/** The height the bar always takes, selected or not, so selecting a row never moves the rows under the pointer. */
const BAR_HEIGHT = 46;

/**
 * Acts on the selected rows at once. It is always there (with a hint while
 * nothing is selected) and keeps one height: a bar that appeared on the first
 * click pushed the table down under the pointer.
 */
export function BulkActionsBar(props: BulkActionsBarProps) {
  const { count, noun, pending, total, allMatching } = props;
  const selected = allMatching ? total : count;
  const tooMany = total > MAX_MATCHING_SELECTION;
  return (
    <Paper
      withBorder
      px="xs"
      mb="sm"
      h={BAR_HEIGHT}
      bg={selected > 0 ? "var(--mantine-primary-color-light)" : undefined}
      role="region"
      aria-label="Bulk actions"
      // It scrolls sideways on a phone: reachable by keyboard even when it holds only the hint (axe).
      tabIndex={0}
      data-testid="bulk-actions"
      style={{ display: "flex", alignItems: "center", overflowX: "auto", overflowY: "hidden" }}
    >
      {selected === 0 ? (
        <Text size="sm" c="dimmed" px="xs" style={{ whiteSpace: "nowrap" }}>
          Select {noun}s to hide, restore or delete them together.
        </Text>
      ) : (
        <Group justify="space-between" gap="xs" wrap="nowrap" w="100%">
          <Group gap="xs" wrap="nowrap" px="xs">
            <Text size="sm" fw={500} style={{ whiteSpace: "nowrap" }} aria-live="polite">
              {allMatching ? `All ${plural(total, `matching ${noun}`)} selected` : `${plural(count, noun)} selected`}
            </Text>
            {props.pageSelected && !allMatching && total > count && (
              <Anchor
                component="button"
                type="button"
                size="sm"
                style={{ whiteSpace: "nowrap" }}
                disabled={tooMany}
                title={
                  tooMany ? `Actions on every match take at most ${MAX_MATCHING_SELECTION.toLocaleString()}` : undefined
                }
                onClick={props.onSelectAllMatching}
              >
                {tooMany
                  ? `Narrow the filter to act on all ${total.toLocaleString()} (at most ${MAX_MATCHING_SELECTION.toLocaleString()})`
                  : `Select all ${plural(total, `matching ${noun}`)}`}
              </Anchor>
            )}
          </Group>
          <Group gap="xs" wrap="nowrap">
            <Button
              size="compact-sm"
              variant="default"
              leftSection={<IconEyeOff size={14} />}
              onClick={props.onHide}
              disabled={pending}
            >
              Hide selected
            </Button>
            <Button
              size="compact-sm"
              variant="default"
              leftSection={<IconEye size={14} />}
              onClick={props.onRestore}
              disabled={pending}
            >
              Restore selected
            </Button>
            <Button
              size="compact-sm"
              color="red"
              leftSection={<IconTrash size={14} />}
              onClick={props.onDelete}
              disabled={pending}
            >
              Delete selected
            </Button>
            <Button size="compact-sm" variant="subtle" leftSection={<IconX size={14} />} onClick={props.onClear}>
              Clear
            </Button>
          </Group>
        </Group>
      )}
    </Paper>
  );
}
