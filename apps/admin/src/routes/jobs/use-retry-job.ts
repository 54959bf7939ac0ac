import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { confirmAction } from "../../components/confirm.tsx";
import { notifyError, notifySuccess } from "../../lib/notify.tsx";
import { trpc } from "../../lib/trpc.ts";
import type { JobFailure } from "./failure-columns.tsx";

/** Asks, then runs a failed job again now; the queue and the failures refresh afterwards. */
export function useRetryJob() {
  const queryClient = useQueryClient();
  const retry = useMutation(
    trpc.jobs.retry.mutationOptions({
      onError: (error) => notifyError(error, "Could not retry the job"),
      onSuccess: ({ id, name }) => notifySuccess(`Job #${id} (${name}) will run again now.`),
      onSettled: () =>
        Promise.all([
          queryClient.invalidateQueries(trpc.jobs.failures.pathFilter()),
          queryClient.invalidateQueries(trpc.jobs.summary.pathFilter()),
        ]),
    }),
  );
  const { mutate } = retry;
  return useCallback(
    (job: JobFailure) =>
      confirmAction({
        title: `Retry job #${job.id}?`,
        message: `${job.name} runs again now, with ${job.maxAttempts} attempts counted from zero. Its handler may have done part of its work before it failed; Inkwell's jobs are written to be run more than once.`,
        confirmLabel: "Retry now",
        danger: false,
        onConfirm: () => mutate({ id: job.id }),
      }),
    [mutate],
  );
}
