import { schema, sql } from "@inkwell/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, type Harness } from "../testing/harness.ts";
import { PASSKEY_REGISTRATION_SIGN_IN_WINDOW_MS } from "./auth-passkeys.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

/** Moves the session's sign-in back by `ms`, as if it had been open that long. */
async function signedInAgo(token: string, ms: number) {
  const id = token.split(".")[0] ?? "";
  await h.database.db
    .update(schema.sessions)
    .set({ createdAt: sql`now() - ${`${ms} milliseconds`}::interval` })
    .where(sql`${schema.sessions.id} = ${id}`);
}

/** A registration answer of the right shape; the recency rule refuses before anything is verified. */
const someResponse = {
  id: "AAAA",
  rawId: "AAAA",
  type: "public-key" as const,
  clientExtensionResults: {},
  response: { clientDataJSON: "AAAA", attestationObject: "AAAA" },
};

describe("adding a passkey needs a recent sign-in", () => {
  it("a session signed in just now gets the browser's options", async () => {
    const { token, user } = await h.signedIn();
    const options = await (await h.as({ bearer: token })).auth.passkeys.registrationOptions();
    expect(options.challenge).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(options.user.name).toBe(user.email);
  });

  it("a session signed in longer ago than the window is refused, for the options and for the answer", async () => {
    const { token } = await h.signedIn();
    await signedInAgo(token, PASSKEY_REGISTRATION_SIGN_IN_WINDOW_MS + 60_000);
    const caller = await h.as({ bearer: token });
    const refused = await expectTRPCError(caller.auth.passkeys.registrationOptions(), "FORBIDDEN");
    expect(refused.message).toMatch(/^Sign in again to add a passkey/);
    await expectTRPCError(caller.auth.passkeys.register({ response: someResponse, name: "Laptop" }), "FORBIDDEN");
    // Nothing was stored for a refused caller.
    expect(await caller.auth.passkeys.list()).toEqual([]);
    // Still signed in: only adding a passkey asks for more.
    expect((await caller.auth.me()).user.username).toMatch(/^user/);
  });

  it("inside the window (a session nine minutes old) it still works", async () => {
    const { token } = await h.signedIn();
    await signedInAgo(token, PASSKEY_REGISTRATION_SIGN_IN_WINDOW_MS - 60_000);
    await expect((await h.as({ bearer: token })).auth.passkeys.registrationOptions()).resolves.toHaveProperty(
      "challenge",
    );
  });
});
