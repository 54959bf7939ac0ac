import { z } from "zod/mini";
import { idParam } from "../../lib/search.ts";

/** Which endpoint's deliveries the Webhooks page shows (none: the endpoints only). */
export const webhooksSearchSchema = z.object({ endpoint: idParam });

export type WebhooksSearch = z.output<typeof webhooksSearchSchema>;
