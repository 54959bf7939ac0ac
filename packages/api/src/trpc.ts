/**
 * 1. Initialization: one tRPC instance, one transformer, one error shape.
 * 2. Procedures: every procedure starts from one of the builders below.
 */
import { initTRPC } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import type { Context } from "./context.ts";

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      data: {
        ...shape.data,
        // Field-level messages for forms: { title: ["Too long"] }.
        fieldErrors: cause instanceof ZodError ? z.flattenError(cause).fieldErrors : undefined,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

/** Anyone may call it. */
export const publicProcedure = t.procedure;
