import { z } from "zod";

/** What the audit log's helper procedures answer (the page itself is `auditPageOutput` in operator-outputs.ts). */

export const auditVocabularyOutput = z
  .object({
    actions: z.array(z.string()).meta({ description: "Every action the log holds, e.g. `articles.create`, sorted" }),
    targetTypes: z.array(z.string()).meta({ description: "Every kind of target the log holds, e.g. `user`, sorted" }),
  })
  .meta({ id: "AuditVocabulary" });

export const auditTargetsOutput = z
  .object({
    targets: z.array(
      z
        .object({
          type: z.string(),
          id: z.string(),
          exists: z.boolean().meta({ description: "False once the record is gone; its events keep the id" }),
          label: z.string().nullable().meta({ description: "Its name, title, URL or the start of its text" }),
          parentId: z
            .int()
            .positive()
            .nullable()
            .meta({ description: "What it belongs to: a comment's article, an API key's owner" }),
        })
        .meta({ id: "AuditTarget" }),
    ),
  })
  .meta({ id: "AuditTargets" });
