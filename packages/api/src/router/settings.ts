import { isOperatorRole, roles } from "@inkwell/auth";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { NotImplemented, PreconditionFailed } from "../errors.ts";
import { requiredTwoFactorRoles, setRequiredTwoFactorRoles } from "../services/settings.ts";
import { NO_ENCRYPTION_KEY } from "../services/two-factor.ts";
import { permissionProcedure } from "../trpc.ts";
import { requiredTwoFactorOutput, requiredTwoFactorSettingOutput } from "./operator-outputs.ts";

/** Settings operators change at run time, stored in the database and shared by every server process. */
export const settingsRouter = {
  /**
   * The roles whose members must turn on two-factor sign-in. Until they do,
   * such a member holds no permission: their sessions and keys can only enrol.
   */
  requireTwoFactor: {
    get: permissionProcedure("users:read")
      .output(requiredTwoFactorSettingOutput)
      .query(async ({ ctx }) => ({
        roles: await requiredTwoFactorRoles(ctx.db),
        available: Boolean(ctx.encryptionKey),
      })),

    set: permissionProcedure("users:manage")
      .input(
        z.object({
          roles: z
            .array(
              z.enum(roles).refine(isOperatorRole, {
                message:
                  "Only operator roles can be required to use two-factor sign-in: plain users' RealWorld clients cannot send a code.",
              }),
            )
            .max(roles.length),
        }),
      )
      .output(requiredTwoFactorOutput)
      .mutation(async ({ ctx, input }) => {
        ctx.audit.target("setting", "requireTwoFactor");
        // Required but impossible to turn on would leave those operators with no permission at all.
        if (input.roles.length > 0 && !ctx.encryptionKey) throw new NotImplemented(NO_ENCRYPTION_KEY);
        // Nor may operators lock themselves out of what they are doing.
        if (input.roles.includes(ctx.user.role) && !ctx.user.twoFactorEnabled) {
          throw new PreconditionFailed(
            "Turn on two-factor sign-in for yourself first (My account): requiring it of your own role would hold back your permissions until you do.",
            "roles",
          );
        }
        const before = await requiredTwoFactorRoles(ctx.db);
        const required = await setRequiredTwoFactorRoles(ctx.db, input.roles);
        ctx.audit.detail({ roles: required }).change({ roles: before }, { roles: required });
        return { roles: required };
      }),
  },
} satisfies TRPCRouterRecord;
