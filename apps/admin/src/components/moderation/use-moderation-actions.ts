import type { ModerationState } from "@inkwell/auth/enums";
import { type QueryFilters, type UseMutationOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { plural } from "../../lib/format.ts";
import { notifyError, notifySuccess } from "../../lib/notify.tsx";
import { confirmAction } from "../confirm.tsx";

type Selection = { ids: number[] };
type Affected = { affected: number[] };

interface ModerationConfig<TError> {
  /** "article", "comment" */
  noun: string;
  hide: UseMutationOptions<Affected, TError, Selection>;
  restore: UseMutationOptions<Affected, TError, Selection>;
  remove: UseMutationOptions<Affected, TError, Selection>;
  /** Every cached list of this kind of content. */
  lists: QueryFilters;
  /** Sets the state of `ids` in the cached lists, for the optimistic update. */
  patch: (ids: number[], state: ModerationState) => void;
  /** After a change, e.g. clear the row selection. */
  onDone?: () => void;
}

/**
 * Hide, restore and delete for a moderation table, one row or a selection:
 * state changes show at once (and are put back if refused), deletion asks first.
 */
export function useModerationActions<TError>(config: ModerationConfig<TError>) {
  const queryClient = useQueryClient();
  const { noun } = config;

  function stateMutation(options: UseMutationOptions<Affected, TError, Selection>, state: ModerationState) {
    const verb = state === "hidden" ? "hidden" : "restored";
    return {
      ...options,
      onMutate: async ({ ids }: Selection) => {
        await queryClient.cancelQueries(config.lists);
        const snapshot = queryClient.getQueriesData(config.lists);
        config.patch(ids, state);
        return { snapshot };
      },
      onError: (
        error: TError,
        _input: Selection,
        context: { snapshot: [readonly unknown[], unknown][] } | undefined,
      ) => {
        for (const [key, data] of context?.snapshot ?? []) queryClient.setQueryData(key, data);
        notifyError(error);
      },
      onSuccess: ({ affected }: Affected, { ids }: Selection) => {
        const unchanged = ids.length - affected.length;
        notifySuccess(
          `${plural(affected.length, noun)} ${verb}.` +
            (unchanged > 0 ? ` ${plural(unchanged, noun)} already ${state === "hidden" ? "hidden" : "visible"}.` : ""),
        );
        config.onDone?.();
      },
      onSettled: () => queryClient.invalidateQueries(config.lists),
    };
  }

  const hide = useMutation(stateMutation(config.hide, "hidden"));
  const restore = useMutation(stateMutation(config.restore, "visible"));
  const remove = useMutation({
    ...config.remove,
    onError: (error: TError) => notifyError(error),
    onSuccess: ({ affected }: Affected) => {
      notifySuccess(`${plural(affected.length, noun)} deleted.`);
      config.onDone?.();
    },
    onSettled: () => queryClient.invalidateQueries(config.lists),
  });

  return {
    hide: (ids: number[]) => hide.mutate({ ids }),
    restore: (ids: number[]) => restore.mutate({ ids }),
    remove: (ids: number[], what = plural(ids.length, noun)) =>
      confirmAction({
        title: `Delete ${what}?`,
        message: `This deletes ${what} for good${noun === "article" ? ", with their comments and favorites" : ""}. Hiding can be undone; deleting cannot.`,
        confirmLabel: "Delete",
        onConfirm: () => remove.mutate({ ids }),
      }),
    pending: hide.isPending || restore.isPending || remove.isPending,
  };
}
