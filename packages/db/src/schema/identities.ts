import { boolean, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, timestamptz } from "./columns.ts";
import { bytea, sessions } from "./sessions.ts";
import { users } from "./users.ts";

/**
 * An account at an identity provider (an OpenID Connect issuer, GitHub) that
 * signs in as a user. `provider` is the id the operator configured
 * (`OAUTH_PROVIDERS`); `subject` is the provider's stable id of the account
 * (the ID token's `sub`, GitHub's numeric user id), never the email.
 */
export const userIdentities = pgTable(
  "user_identities",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    provider: text("provider").notNull(),
    subject: text("subject").notNull(),
    /** What the provider said at the last sign-in, for the account page. */
    email: text("email"),
    emailVerified: boolean("email_verified").notNull().default(false),
    /** The provider's name for the account (preferred_username, GitHub login), for the account page. */
    displayName: text("display_name"),
    createdAt: createdAt(),
    lastUsedAt: timestamptz("last_used_at"),
  },
  (t) => [
    uniqueIndex("user_identities_provider_subject_key").on(t.provider, t.subject),
    index("user_identities_user_id_idx").on(t.userId),
  ],
);

/**
 * A sign-in (or link) at an identity provider in progress, between the
 * redirect to the provider and its callback: what the callback must check
 * and send (PKCE verifier, nonce, redirect URI). The browser holds the
 * `state` in an HttpOnly cookie; the row is found by the state's SHA-256,
 * lives ten minutes and is deleted when the callback arrives, whatever happens next.
 */
export const oauthFlows = pgTable(
  "oauth_flows",
  {
    stateHash: bytea("state_hash").primaryKey(),
    provider: text("provider").notNull(),
    codeVerifier: text("code_verifier").notNull(),
    /** Null for providers without ID tokens (GitHub). */
    nonce: text("nonce"),
    redirectUri: text("redirect_uri").notNull(),
    /** A path in the admin console to go to afterwards (checked when the flow starts). */
    returnTo: text("return_to").notNull(),
    /** Set when a signed-in user links an identity: the session must still be live at the callback. */
    userId: integer("user_id").references(() => users.id, { onDelete: "cascade" }),
    sessionId: text("session_id").references(() => sessions.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: timestamptz("expires_at").notNull(),
  },
  (t) => [index("oauth_flows_expires_at_idx").on(t.expiresAt)],
);
