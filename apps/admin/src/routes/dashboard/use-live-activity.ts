import { skipToken, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useEffect, useState } from "react";
import { trpc } from "../../lib/trpc.ts";

/**
 * The newest audit events, `load` of them at first, then kept current by
 * the live activity stream, up to `keep`: it resumes from the newest event
 * the first load showed, so nothing falls between the load and the stream.
 */
export function useLiveActivity({ load, keep }: { load: number; keep: number }) {
  const queryClient = useQueryClient();
  const listOptions = trpc.audit.list.queryOptions({ limit: load });
  const list = useQuery(listOptions);

  // Fixed once known (null until then): a changing input would reopen the stream.
  const [since, setSince] = useState<{ lastEventId?: string } | null>(null);
  useEffect(() => {
    if (since || !list.data) return;
    const newest = list.data.events[0];
    setSince(newest ? { lastEventId: String(newest.id) } : {});
  }, [list.data, since]);

  const live = useSubscription(
    trpc.activity.onEvent.subscriptionOptions(since ?? skipToken, {
      onData: ({ data: event }) =>
        queryClient.setQueryData(listOptions.queryKey, (old) =>
          old
            ? { ...old, events: [event, ...old.events.filter((shown) => shown.id !== event.id)].slice(0, keep) }
            : old,
        ),
    }),
  );
  return { list, live };
}
