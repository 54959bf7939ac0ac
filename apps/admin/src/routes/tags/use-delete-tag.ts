import { useMutation, useQueryClient } from "@tanstack/react-query";
import { confirmAction } from "../../components/confirm.tsx";
import { plural } from "../../lib/format.ts";
import { notifyError, notifySuccess } from "../../lib/notify.tsx";
import { trpc } from "../../lib/trpc.ts";
import type { TagRow } from "./tags-columns.tsx";

/** Asks, then deletes a tag; the row goes at once and comes back if the server refuses. */
export function useDeleteTag() {
  const queryClient = useQueryClient();
  const listKey = trpc.tags.list.queryKey();
  const remove = useMutation(
    trpc.tags.delete.mutationOptions({
      onMutate: async ({ id }) => {
        await queryClient.cancelQueries({ queryKey: listKey });
        const previous = queryClient.getQueryData(listKey);
        queryClient.setQueryData(listKey, (old) => old?.filter((tag) => tag.id !== id));
        return { previous };
      },
      onError: (error, _input, context) => {
        queryClient.setQueryData(listKey, context?.previous);
        notifyError(error, "Could not delete the tag");
      },
      onSuccess: ({ deleted, articlesUntagged }) =>
        notifySuccess(`“${deleted.name}” deleted; ${plural(articlesUntagged, "article")} lost it.`),
      onSettled: () => queryClient.invalidateQueries({ queryKey: listKey }),
    }),
  );
  return (tag: TagRow) =>
    confirmAction({
      title: `Delete “${tag.name}”?`,
      message: `The tag is removed from every article carrying it. To keep those articles tagged, merge it into another tag instead.`,
      confirmLabel: "Delete tag",
      onConfirm: () => remove.mutate({ id: tag.id }),
    });
}
