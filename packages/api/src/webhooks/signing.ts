import { Webhook } from "standardwebhooks";

/**
 * The headers of one delivery attempt, per the Standard Webhooks specification:
 * `webhook-id` (the same on every attempt of a delivery), `webhook-timestamp`
 * (this attempt's, in seconds; receivers refuse ones more than five minutes
 * off) and `webhook-signature` (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`),
 * computed by the `standardwebhooks` package.
 */
export function signedHeaders(secret: string, webhookId: string, body: string, now: Date): Record<string, string> {
  return {
    "content-type": "application/json",
    "user-agent": "Inkwell-Webhooks/1.0",
    "webhook-id": webhookId,
    "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(webhookId, now, body),
  };
}
