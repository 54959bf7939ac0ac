import type { RouterOutputs } from "../../lib/trpc.ts";

/** One row of the audit log as `audit.list` answers it. */
export type AuditEvent = RouterOutputs["audit"]["list"]["events"][number];
