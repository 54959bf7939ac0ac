import { and, asc, type Executor, eq, schema } from "@inkwell/db";
import {
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import type { AuthUser } from "../auth/principal.ts";
import { Conflict, NotFound, Unauthorized } from "../errors.ts";
import { findAuthUser } from "./auth-user.ts";
import { admitIfNotSuspended } from "./suspensions.ts";
import { storeChallenge, takeChallenge } from "./webauthn-challenges.ts";

const { passkeys } = schema;

/** Who the passkeys belong to: this server's host, and the origins its pages are served from. */
export interface RelyingParty {
  id: string;
  name: string;
  origin: string;
}

export const PASSKEY_REFUSED = "This passkey could not be verified. Try again, or sign in another way.";
const MAX_PASSKEYS = 20;

/** WebAuthn wants a user handle that is not the user id; every passkey of a user shares one. */
async function userHandleOf(db: Executor, userId: number): Promise<string> {
  const [existing] = await db
    .select({ handle: passkeys.userHandle })
    .from(passkeys)
    .where(eq(passkeys.userId, userId))
    .limit(1);
  return existing?.handle ?? Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
}

/**
 * What the browser needs to create a passkey for the signed-in user: a
 * discoverable credential with user verification (so it is two factors by
 * itself), not one of the user's existing passkeys again.
 */
export async function passkeyRegistrationOptions(db: Executor, rp: RelyingParty, user: AuthUser) {
  const existing = await db
    .select({ id: passkeys.credentialId, transports: passkeys.transports })
    .from(passkeys)
    .where(eq(passkeys.userId, user.id));
  if (existing.length >= MAX_PASSKEYS) throw new Conflict(`You have ${MAX_PASSKEYS} passkeys; remove one first.`);
  const userHandle = await userHandleOf(db, user.id);
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.email,
    userDisplayName: user.username,
    userID: Buffer.from(userHandle, "base64url"),
    attestationType: "none",
    excludeCredentials: existing.map((row) => ({ id: row.id, transports: row.transports as AuthenticatorTransport[] })),
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
  });
  await storeChallenge(db, options.challenge, "registration", user.id, userHandle);
  return options;
}

/** Checks the browser's new credential against the challenge it answers and keeps it. */
export async function registerPasskey(
  db: Executor,
  counters: Executor,
  rp: RelyingParty,
  userId: number,
  response: RegistrationResponseJSON,
  name: string,
  onRefused: (detail: string) => void,
) {
  const { challenge: expectedChallenge, userHandle } = await takeChallenge(
    counters,
    response.response.clientDataJSON,
    "registration",
    userId,
  );
  let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verification = await verifyRegistrationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    });
  } catch (error) {
    onRefused(error instanceof Error ? error.message : String(error));
    throw new Unauthorized(PASSKEY_REFUSED);
  }
  if (!verification.verified) throw new Unauthorized(PASSKEY_REFUSED);
  const info = verification.registrationInfo;
  const [created] = await db
    .insert(passkeys)
    .values({
      userId,
      credentialId: info.credential.id,
      publicKey: info.credential.publicKey,
      counter: info.credential.counter,
      // The handle the prompt gave the authenticator, which it returns when signing in.
      userHandle: userHandle ?? (await userHandleOf(db, userId)),
      transports: info.credential.transports ?? [],
      multiDevice: info.credentialDeviceType === "multiDevice",
      backedUp: info.credentialBackedUp,
      aaguid: info.aaguid,
      name,
    })
    .returning({ id: passkeys.id, name: passkeys.name, createdAt: passkeys.createdAt });
  return created as { id: number; name: string; createdAt: Date };
}

/** Options for signing in with any passkey of this site (the browser offers the ones it holds). */
export async function passkeySignInOptions(db: Executor, rp: RelyingParty) {
  const options = await generateAuthenticationOptions({ rpID: rp.id, userVerification: "required" });
  await storeChallenge(db, options.challenge, "authentication", null);
  return options;
}

/**
 * The user a passkey assertion proves: its challenge is taken (once), the
 * credential must be known, its signature right over our origin and host,
 * the user verified, and its signature counter (if it keeps one) must move on.
 */
export async function verifyPasskeySignIn(
  db: Executor,
  counters: Executor,
  rp: RelyingParty,
  response: AuthenticationResponseJSON,
  onRefused: (detail: string) => void,
): Promise<AuthUser> {
  const { challenge: expectedChallenge } = await takeChallenge(
    counters,
    response.response.clientDataJSON,
    "authentication",
    null,
  );
  const [passkey] = await db.select().from(passkeys).where(eq(passkeys.credentialId, response.id));
  if (!passkey) {
    onRefused("unknown credential");
    throw new Unauthorized(PASSKEY_REFUSED);
  }
  if (response.response.userHandle !== undefined && response.response.userHandle !== passkey.userHandle) {
    onRefused("user handle does not match the credential's");
    throw new Unauthorized(PASSKEY_REFUSED);
  }
  let verification: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(passkey.publicKey),
        counter: passkey.counter,
        transports: passkey.transports as AuthenticatorTransport[],
      },
      requireUserVerification: true,
    });
  } catch (error) {
    onRefused(error instanceof Error ? error.message : String(error));
    throw new Unauthorized(PASSKEY_REFUSED);
  }
  if (!verification.verified) throw new Unauthorized(PASSKEY_REFUSED);
  await db
    .update(passkeys)
    .set({
      counter: verification.authenticationInfo.newCounter,
      backedUp: verification.authenticationInfo.credentialBackedUp,
      lastUsedAt: new Date(),
    })
    .where(eq(passkeys.id, passkey.id));
  const user = await findAuthUser(db, passkey.userId);
  if (!user) throw new Unauthorized(PASSKEY_REFUSED);
  return admitIfNotSuspended(db, user);
}

export async function listPasskeys(db: Executor, userId: number) {
  return db
    .select({
      id: passkeys.id,
      name: passkeys.name,
      multiDevice: passkeys.multiDevice,
      backedUp: passkeys.backedUp,
      createdAt: passkeys.createdAt,
      lastUsedAt: passkeys.lastUsedAt,
    })
    .from(passkeys)
    .where(eq(passkeys.userId, userId))
    .orderBy(asc(passkeys.createdAt), asc(passkeys.id));
}

const NO_SUCH_PASSKEY = "No such passkey of yours.";

export async function renamePasskey(db: Executor, userId: number, passkeyId: number, name: string) {
  const [renamed] = await db
    .update(passkeys)
    .set({ name })
    .where(and(eq(passkeys.id, passkeyId), eq(passkeys.userId, userId)))
    .returning({ id: passkeys.id, name: passkeys.name });
  if (!renamed) throw new NotFound("passkey", NO_SUCH_PASSKEY, "id");
  return renamed;
}

/** Removes a passkey; the account keeps its password, so it is never the last way to sign in. */
export async function removePasskey(db: Executor, userId: number, passkeyId: number) {
  const [removed] = await db
    .delete(passkeys)
    .where(and(eq(passkeys.id, passkeyId), eq(passkeys.userId, userId)))
    .returning({ id: passkeys.id });
  if (!removed) throw new NotFound("passkey", NO_SUCH_PASSKEY, "id");
}
