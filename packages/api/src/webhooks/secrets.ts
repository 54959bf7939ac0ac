import { randomBytes } from "node:crypto";
import { openSecret, SecretBoxError, sealSecret } from "@inkwell/auth";
import { NotImplemented, Unavailable } from "../errors.ts";

/**
 * Signing secrets of webhook endpoints, in the Standard Webhooks form
 * `whsec_<base64 of 32 random bytes>`. Inkwell signs every delivery with it,
 * so it keeps the secret, sealed under `ENCRYPTION_KEY` (a hash could not sign),
 * and shows it to the operator once.
 */
const SECRET_BYTES = 32;
const PREFIX = "whsec_";

export const NO_WEBHOOK_ENCRYPTION_KEY =
  "Webhooks are not available on this server: their signing secrets are stored encrypted, and it has no encryption key. " +
  "The operator must set ENCRYPTION_KEY (base64 of 32 random bytes, e.g. `openssl rand -base64 32`).";

/** Bound to its endpoint: a sealed secret copied to another endpoint's row does not open. */
const sealContext = (endpointId: number) => `webhook:endpoint:${endpointId}`;

export function generateWebhookSecret(): { secret: string; bytes: Uint8Array } {
  const bytes = new Uint8Array(randomBytes(SECRET_BYTES));
  return { secret: `${PREFIX}${Buffer.from(bytes).toString("base64")}`, bytes };
}

export function requireEncryptionKey(encryptionKey: Uint8Array | null | undefined): Uint8Array {
  if (!encryptionKey) throw new NotImplemented(NO_WEBHOOK_ENCRYPTION_KEY);
  return encryptionKey;
}

export function sealWebhookSecret(encryptionKey: Uint8Array, endpointId: number, bytes: Uint8Array): Uint8Array {
  return sealSecret(encryptionKey, bytes, sealContext(endpointId));
}

/** The endpoint's secret as `standardwebhooks` takes it (`whsec_…`). */
export function openWebhookSecret(
  encryptionKey: Uint8Array | null | undefined,
  endpointId: number,
  sealed: Uint8Array,
): string {
  if (!encryptionKey) throw new Unavailable(NO_WEBHOOK_ENCRYPTION_KEY);
  try {
    return `${PREFIX}${Buffer.from(openSecret(encryptionKey, sealed, sealContext(endpointId))).toString("base64")}`;
  } catch (error) {
    if (!(error instanceof SecretBoxError)) throw error;
    throw new Unavailable(
      "This endpoint's signing secret does not open with the server's ENCRYPTION_KEY (it was stored with another key). " +
        "Rotate the secret.",
    );
  }
}
