import { sendPasswordResetEmail } from "../services/password-reset.ts";
import type { JobDeps, JobHandler } from "./types.ts";

/**
 * Writes the reset email a person asked for, when the address is an active
 * account's (see `requestPasswordReset`). Safe to run twice: a second run
 * issues a newer link, which replaces the first.
 */
export function sendPasswordResetJob(deps: Pick<JobDeps, "db" | "links">): JobHandler<"accounts.sendPasswordReset"> {
  return async ({ email }) => {
    await sendPasswordResetEmail(deps.db, deps.links, email);
  };
}
