import { permissions } from "@inkwell/auth";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { createApiKey, listApiKeys, revokeApiKey } from "../services/api-keys.ts";
import { permissionProcedure, sessionPermissionProcedure } from "../trpc.ts";
import { idInput, timestampInput } from "./inputs.ts";
import { apiKeyOutput } from "./outputs.ts";

const MAX_LIFETIME_MS = 366 * 24 * 60 * 60 * 1000;

/**
 * Keys other apps use to act for their owner, with a subset of the owner's
 * permissions. Only a signed-in person creates keys: a key cannot mint keys
 * (a child could otherwise outlive or outrank it). A key holding
 * `keys:manage` may list and revoke its owner's keys, which only takes power away.
 */
export const apiKeysRouter = {
  create: sessionPermissionProcedure("keys:manage")
    .input(
      z.object({
        name: z.string().trim().min(1, "Name the key.").max(100, "Use at most 100 characters."),
        scopes: z.array(z.enum(permissions)).max(permissions.length),
        expiresAt: timestampInput
          .nullable()
          .default(null)
          .refine((date) => date === null || date.getTime() > Date.now(), "Choose a time in the future.")
          .refine(
            (date) => date === null || date.getTime() <= Date.now() + MAX_LIFETIME_MS,
            "Keys last at most a year.",
          ),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const created = await createApiKey(
        ctx.db,
        { userId: ctx.user.id, permissions: ctx.principal.permissions },
        input,
      );
      ctx.audit.target("apiKey", created.id).detail({ prefix: created.prefix, scopes: created.scopes });
      return created;
    }),

  list: permissionProcedure("keys:manage")
    .output(z.array(apiKeyOutput))
    .query(({ ctx }) => listApiKeys(ctx.db, ctx.user.id)),

  revoke: permissionProcedure("keys:manage")
    .input(z.object({ id: idInput }))
    .output(apiKeyOutput)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("apiKey", input.id);
      return revokeApiKey(ctx.db, ctx.user.id, input.id);
    }),
} satisfies TRPCRouterRecord;
