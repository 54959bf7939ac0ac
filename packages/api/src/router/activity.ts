import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { openActivityStream } from "../realtime/activity-stream.ts";
import { permissionProcedure, trackedLiveStream } from "../trpc.ts";
import { lastEventIdInput } from "./inputs.ts";

export const activityRouter = {
  /**
   * Audit events as they happen, on any server process, over server-sent
   * events. Each carries its id; reconnecting with the last one first
   * replays what was missed (the newest 500 at most). Ends when the caller's
   * session or key is revoked or loses `audit:read`.
   */
  onEvent: permissionProcedure("audit:read")
    .input(z.object({ lastEventId: lastEventIdInput.optional() }).default({}))
    .subscription(async ({ ctx, input, signal }) =>
      trackedLiveStream(await openActivityStream(ctx, { lastEventId: input.lastEventId, signal })),
    ),
} satisfies TRPCRouterRecord;
