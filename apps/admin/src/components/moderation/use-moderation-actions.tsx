import type { ModerationState } from "@inkwell/auth/enums";
import { Button, Group, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconCheck } from "@tabler/icons-react";
import { type QueryFilters, type UseMutationOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { plural } from "../../lib/format.ts";
import { notifyError, notifySuccess } from "../../lib/notify.tsx";
import { confirmAction } from "../confirm.tsx";
import { openHideDialog } from "./hide-dialog.tsx";

type Selection = { ids: number[] };
type HideSelection = { ids: number[]; reason?: string | undefined };
type Affected = { affected: number[] };
type Hidden = { affected: number[]; actionId: string | null };
type Matching<F> = { filter: F };
type HideMatching<F> = { filter: F; reason?: string | undefined };
type MatchingResult = { matched: number; affected: number; actionId: string | null };

interface ModerationConfig<TError, F> {
  /** "article", "comment" */
  noun: string;
  hide: UseMutationOptions<Hidden, TError, HideSelection>;
  restore: UseMutationOptions<Affected, TError, Selection>;
  remove: UseMutationOptions<Affected, TError, Selection>;
  undoHide: UseMutationOptions<Affected, TError, { actionId: string }>;
  hideMatching: UseMutationOptions<MatchingResult, TError, HideMatching<F>>;
  restoreMatching: UseMutationOptions<MatchingResult, TError, Matching<F>>;
  deleteMatching: UseMutationOptions<MatchingResult, TError, Matching<F>>;
  /** Every cached query that shows this kind of content: refetched after any change. */
  lists: QueryFilters[];
  /** Sets the state of `ids` in the cached lists, for the optimistic update. */
  patch: (ids: number[], state: ModerationState) => void;
  /** After a change, e.g. clear the row selection. */
  onDone?: () => void;
}

/**
 * Hide, restore and delete for a moderation table: one row, a selection, or
 * every row the filter matches. Hiding asks for an optional reason and its
 * message offers Undo, which shows again exactly what that hide hid; state
 * changes show at once (and are put back if refused); deletion asks first.
 */
export function useModerationActions<TError, F>(config: ModerationConfig<TError, F>) {
  const queryClient = useQueryClient();
  const { noun } = config;
  const refresh = () => Promise.all(config.lists.map((filters) => queryClient.invalidateQueries(filters)));
  const optimistic = (state: ModerationState) => ({
    onMutate: async ({ ids }: Selection) => {
      await Promise.all(config.lists.map((filters) => queryClient.cancelQueries(filters)));
      const snapshot = config.lists.flatMap((filters) => queryClient.getQueriesData(filters));
      config.patch(ids, state);
      return { snapshot };
    },
    onError: (error: TError, _input: Selection, context: { snapshot: [readonly unknown[], unknown][] } | undefined) => {
      for (const [key, data] of context?.snapshot ?? []) queryClient.setQueryData(key, data);
      notifyError(error);
    },
  });

  const undo = useMutation({
    ...config.undoHide,
    onError: (error: TError) => notifyError(error, "Could not undo"),
    onSuccess: ({ affected }: Affected) => notifySuccess(`${plural(affected.length, noun)} shown again.`),
    onSettled: refresh,
  });

  /** "2 articles hidden." with an Undo button while the message shows. */
  function notifyHidden(message: string, actionId: string | null) {
    if (!actionId) return notifySuccess(message);
    const id = `hidden-${actionId}`;
    notifications.show({
      id,
      color: "teal",
      icon: <IconCheck size={18} />,
      autoClose: 10_000,
      message: (
        <Group justify="space-between" gap="xs" wrap="nowrap">
          <Text size="sm">{message}</Text>
          <Button
            size="compact-sm"
            variant="light"
            onClick={() => {
              notifications.hide(id);
              undo.mutate({ actionId });
            }}
          >
            Undo
          </Button>
        </Group>
      ),
    });
  }

  const hide = useMutation({
    ...config.hide,
    ...optimistic("hidden"),
    onSuccess: ({ affected, actionId }: Hidden, { ids }: HideSelection) => {
      const unchanged = ids.length - affected.length;
      notifyHidden(
        `${plural(affected.length, noun)} hidden.` +
          (unchanged > 0 ? ` ${plural(unchanged, noun)} already hidden.` : ""),
        actionId,
      );
      config.onDone?.();
    },
    onSettled: refresh,
  });
  const restore = useMutation({
    ...config.restore,
    ...optimistic("visible"),
    onSuccess: ({ affected }: Affected, { ids }: Selection) => {
      const unchanged = ids.length - affected.length;
      notifySuccess(
        `${plural(affected.length, noun)} restored.` +
          (unchanged > 0 ? ` ${plural(unchanged, noun)} already visible.` : ""),
      );
      config.onDone?.();
    },
    onSettled: refresh,
  });
  const remove = useMutation({
    ...config.remove,
    onError: (error: TError) => notifyError(error),
    onSuccess: ({ affected }: Affected) => {
      notifySuccess(`${plural(affected.length, noun)} deleted.`);
      config.onDone?.();
    },
    onSettled: refresh,
  });

  const matchingDone = (verb: string) => ({
    onError: (error: TError) => notifyError(error),
    onSettled: refresh,
    onSuccess: ({ matched, affected, actionId }: MatchingResult) => {
      const already = affected < matched ? ` ${matched - affected} already were.` : "";
      const message = `${plural(affected, noun)} ${verb}.${already}`;
      if (verb === "hidden") notifyHidden(message, actionId);
      else notifySuccess(message);
      config.onDone?.();
    },
  });
  const hideMatching = useMutation({ ...config.hideMatching, ...matchingDone("hidden") });
  const restoreMatching = useMutation({ ...config.restoreMatching, ...matchingDone("restored") });
  const deleteMatching = useMutation({ ...config.deleteMatching, ...matchingDone("deleted") });

  const consequence = `${noun === "article" ? ", with their comments and favorites" : ""}. Hiding can be undone; deleting cannot.`;

  return {
    hide: (ids: number[], what = plural(ids.length, noun)) =>
      openHideDialog({ what, onHide: (reason) => hide.mutate({ ids, reason }) }),
    restore: (ids: number[]) => restore.mutate({ ids }),
    /** Asks first; `onDeleted` runs once they are gone (a preview closes itself). */
    remove: (ids: number[], what = plural(ids.length, noun), onDeleted?: () => void) =>
      confirmAction({
        title: `Delete ${what}?`,
        message: `This deletes ${what} for good${consequence}`,
        confirmLabel: "Delete",
        onConfirm: () => remove.mutate({ ids }, { onSuccess: () => onDeleted?.() }),
      }),
    /** The same three on every row `filter` matches; `count` is what the table says matches. */
    matching: {
      hide: (filter: F, count: number) =>
        openHideDialog({
          what: `all ${plural(count, `matching ${noun}`)}`,
          onHide: (reason) => hideMatching.mutate({ filter, reason }),
        }),
      restore: (filter: F, count: number) =>
        confirmAction({
          title: `Restore all ${plural(count, `matching ${noun}`)}?`,
          message: "Readers see them again.",
          confirmLabel: "Restore",
          danger: false,
          onConfirm: () => restoreMatching.mutate({ filter }),
        }),
      remove: (filter: F, count: number) =>
        confirmAction({
          title: `Delete all ${plural(count, `matching ${noun}`)}?`,
          message: `This deletes every ${noun} the filter matches, on every page, for good${consequence}`,
          confirmLabel: "Delete",
          onConfirm: () => deleteMatching.mutate({ filter }),
        }),
    },
    pending:
      hide.isPending ||
      restore.isPending ||
      remove.isPending ||
      undo.isPending ||
      hideMatching.isPending ||
      restoreMatching.isPending ||
      deleteMatching.isPending,
  };
}

export type ModerationActions = ReturnType<typeof useModerationActions>;
