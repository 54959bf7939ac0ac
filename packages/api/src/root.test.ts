import { type Permission, permissionsOf } from "@inkwell/auth";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "./root.ts";
import { createHarness, type Harness } from "./testing/harness.ts";
import type { ProcedureMeta } from "./trpc.ts";

/** The only procedures anyone may call without signing in. Adding one here is a security decision. */
const PUBLIC_PROCEDURES = new Set([
  "auth.signUp",
  "auth.signIn",
  // The second step of a two-factor sign-in: the caller holds a challenge, not yet a session.
  "auth.signIn2fa",
  // Links from emails: the token in the link proves the mailbox (or the reset), not a session.
  "auth.verifyEmail",
  "auth.requestPasswordReset",
  "auth.resetPassword",
  // Sign-in with an identity provider: the buttons, the start, and the provider's answer.
  "auth.identities.providers",
  "auth.identities.beginSignIn",
  "auth.identities.complete",
  // Sign-in with a passkey: the prompt's challenge, and the answer.
  "auth.passkeys.signInOptions",
  "auth.passkeys.signIn",
  "profiles.get",
  "articles.list",
  "articles.get",
  "articles.onComment",
  "comments.list",
  "tags.list",
]);

interface ProcedureInfo {
  path: string;
  type: "query" | "mutation" | "subscription";
  permissions: readonly Permission[];
  sessionOnly: boolean;
  signedIn: boolean;
}

const procedures: ProcedureInfo[] = Object.entries(appRouter._def.procedures).map(([path, procedure]) => {
  const def = (procedure as unknown as { _def: { type: ProcedureInfo["type"]; meta?: ProcedureMeta } })._def;
  return {
    path,
    type: def.type,
    permissions: def.meta?.permissions ?? [],
    sessionOnly: def.meta?.sessionOnly ?? false,
    signedIn: def.meta?.signedIn ?? false,
  };
});

type AnyCaller = Record<string, unknown>;

async function callByPath(caller: AnyCaller, path: string): Promise<unknown> {
  const fn = path.split(".").reduce<unknown>((node, key) => (node as AnyCaller)[key], caller);
  return (fn as (input: unknown) => Promise<unknown>)(undefined);
}

async function errorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (error) {
    return error instanceof TRPCError ? error.code : `non-tRPC error: ${String(error)}`;
  }
}

let h: Harness;
let plainUserToken: string;
let zeroScopeKey: string;
let allScopesKey: string;
beforeAll(async () => {
  h = await createHarness();
  plainUserToken = (await h.signedIn("user")).token;
  zeroScopeKey = (await (await h.as({ bearer: plainUserToken })).apiKeys.create({ name: "nothing", scopes: [] })).key;
  const admin = await h.as({ bearer: (await h.signedIn("admin")).token });
  allScopesKey = (await admin.apiKeys.create({ name: "everything", scopes: [...permissionsOf("admin")] })).key;
});
afterAll(() => h.close());

describe("every procedure of the router", () => {
  it("is found by the walk", () => {
    expect(procedures.length).toBeGreaterThan(10);
    for (const path of PUBLIC_PROCEDURES) expect(procedures.map((p) => p.path)).toContain(path);
  });

  it("declares who may call it: exactly the public ones lack the signedIn flag /api/rpc documents", () => {
    expect(procedures.filter((p) => !p.signedIn).map((p) => p.path)).toEqual(
      procedures.map((p) => p.path).filter((path) => PUBLIC_PROCEDURES.has(path)),
    );
  });

  it.each(procedures.filter((p) => !PUBLIC_PROCEDURES.has(p.path)))(
    "$path rejects an anonymous caller with UNAUTHORIZED",
    async ({ path }) => {
      expect(await errorCode(callByPath((await h.as()) as unknown as AnyCaller, path))).toBe("UNAUTHORIZED");
    },
  );

  it.each(procedures.filter((p) => PUBLIC_PROCEDURES.has(p.path)))(
    "$path is public: an anonymous caller gets past authentication",
    async ({ path }) => {
      expect(await errorCode(callByPath((await h.as()) as unknown as AnyCaller, path))).not.toBe("UNAUTHORIZED");
    },
  );

  it.each(procedures.filter((p) => p.permissions.length > 0))(
    "$path ($permissions) rejects a signed-in caller lacking the permission with FORBIDDEN",
    async ({ path }) => {
      const caller = (await h.as({ bearer: zeroScopeKey })) as unknown as AnyCaller;
      expect(await errorCode(callByPath(caller, path))).toBe("FORBIDDEN");
    },
  );

  it.each(procedures.filter((p) => p.sessionOnly))(
    "$path refuses an API key holding every permission (sessions only)",
    async ({ path }) => {
      const caller = (await h.as({ bearer: allScopesKey })) as unknown as AnyCaller;
      expect(await errorCode(callByPath(caller, path))).toBe("FORBIDDEN");
    },
  );

  const plainUserGrants = permissionsOf("user");
  it.each(procedures.filter((p) => p.permissions.some((permission) => !plainUserGrants.includes(permission))))(
    "$path is refused to a plain user",
    async ({ path }) => {
      const caller = (await h.as({ bearer: plainUserToken })) as unknown as AnyCaller;
      expect(await errorCode(callByPath(caller, path))).toBe("FORBIDDEN");
    },
  );
});
