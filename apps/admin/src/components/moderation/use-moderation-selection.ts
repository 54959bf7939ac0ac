import type { RowSelectionState, Updater } from "@tanstack/react-table";
import { useEffect, useState } from "react";

/**
 * What a moderation table acts on: the rows ticked on this page, or every row
 * the filter matches. A selection belongs to the rows on screen, so it is
 * cleared whenever `view` (the page's URL search) changes; ticking a row by
 * hand drops "every match".
 */
export function useModerationSelection(view: unknown) {
  const [rows, setRows] = useState<RowSelectionState>({});
  const [allMatching, setAllMatching] = useState(false);
  const clear = () => {
    setRows({});
    setAllMatching(false);
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: clears when the view changes.
  useEffect(clear, [view]);

  return {
    /** For the table's `state.rowSelection`. */
    rows,
    ids: Object.keys(rows).map(Number),
    allMatching,
    selectAllMatching: () => setAllMatching(true),
    clear,
    /** For the table's `onRowSelectionChange`. */
    onRowSelectionChange: (updater: Updater<RowSelectionState>) => {
      setAllMatching(false);
      setRows(updater);
    },
  };
}

export type ModerationSelection = ReturnType<typeof useModerationSelection>;
