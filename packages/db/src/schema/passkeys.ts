import { bigint, boolean, index, integer, pgEnum, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, timestamptz } from "./columns.ts";
import { bytea } from "./sessions.ts";
import { users } from "./users.ts";

/**
 * A WebAuthn credential (passkey) of a user: the authenticator keeps the
 * private key, the server its public key and signature counter.
 */
export const passkeys = pgTable(
  "passkeys",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The credential id, base64url, as the browser reports it. */
    credentialId: text("credential_id").notNull(),
    /** COSE-encoded public key. */
    publicKey: bytea("public_key").notNull(),
    /** The signature counter last seen (0 for authenticators that keep none, such as synced passkeys). */
    counter: bigint("counter", { mode: "number" }).notNull().default(0),
    /** The WebAuthn user handle given at registration (random, never the user id), base64url. */
    userHandle: text("user_handle").notNull(),
    /** Hints for the browser (usb, nfc, ble, internal, hybrid). */
    transports: text("transports").array().notNull().default([]),
    /** Synced across devices (a "multi-device" credential) and currently backed up. */
    multiDevice: boolean("multi_device").notNull(),
    backedUp: boolean("backed_up").notNull(),
    /** The authenticator model's AAGUID, when it tells. */
    aaguid: text("aaguid"),
    name: text("name").notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamptz("last_used_at"),
  },
  (t) => [uniqueIndex("passkeys_credential_id_key").on(t.credentialId), index("passkeys_user_id_idx").on(t.userId)],
);

export const webauthnChallengePurposes = ["registration", "authentication"] as const;
export const webauthnChallengePurposeEnum = pgEnum("webauthn_challenge_purpose", webauthnChallengePurposes);

/**
 * A WebAuthn challenge handed to a browser: random, single use (deleted when
 * a response for it arrives, whatever the outcome) and short-lived. A
 * registration challenge belongs to the signed-in user who asked for it.
 */
export const webauthnChallenges = pgTable(
  "webauthn_challenges",
  {
    /** base64url of 32 random bytes, as it appears in the browser's clientDataJSON. */
    challenge: text("challenge").primaryKey(),
    purpose: webauthnChallengePurposeEnum("purpose").notNull(),
    userId: integer("user_id").references(() => users.id, { onDelete: "cascade" }),
    /** The user handle a registration prompt offered, kept with the passkey it creates. */
    userHandle: text("user_handle"),
    createdAt: createdAt(),
    expiresAt: timestamptz("expires_at").notNull(),
  },
  (t) => [index("webauthn_challenges_expires_at_idx").on(t.expiresAt)],
);
