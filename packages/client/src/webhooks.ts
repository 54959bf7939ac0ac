import type { WebhookEvent, WebhookEventType } from "@inkwell/api";
import { Webhook, WebhookVerificationError } from "standardwebhooks";

/**
 * For the systems that receive Inkwell's webhooks: checks a delivery's
 * Standard Webhooks signature (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`; HMAC-SHA256 with the endpoint's `whsec_…` secret)
 * and its timestamp (at most five minutes off), with the `standardwebhooks`
 * package, and returns the event typed by its `type`.
 *
 * ```ts
 * import { verifyWebhook } from "@inkwell/client/webhooks";
 * const event = verifyWebhook(process.env.INKWELL_WEBHOOK_SECRET, request.headers, rawBody);
 * if (event.type === "comment.created") console.log(event.data.comment.body);
 * ```
 *
 * Pass the body exactly as received (the raw text, not re-serialized JSON).
 * The same delivery can arrive more than once: de-duplicate by `webhook-id`.
 */
export type { WebhookEvent, WebhookEventType };

/** The `data` of one event type: `WebhookEventData<"comment.created">`. */
export type WebhookEventData<T extends WebhookEventType> = Extract<WebhookEvent, { type: T }>["data"];
export { WebhookVerificationError };

/** A Fetch `Headers`, or Node's `IncomingHttpHeaders` (names in any case). */
export type WebhookHeaders = Headers | Record<string, string | readonly string[] | undefined>;

const HEADERS = ["webhook-id", "webhook-timestamp", "webhook-signature"] as const;

function pick(headers: WebhookHeaders): Record<string, string> {
  const found: Record<string, string> = {};
  if (headers instanceof Headers) {
    for (const name of HEADERS) {
      const value = headers.get(name);
      if (value !== null) found[name] = value;
    }
    return found;
  }
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (!(HEADERS as readonly string[]).includes(lower) || value === undefined) continue;
    // A header sent twice is not one Inkwell sent.
    if (typeof value !== "string") throw new WebhookVerificationError(`The ${lower} header appears more than once`);
    found[lower] = value;
  }
  return found;
}

/** The event when the signature and timestamp check out; throws `WebhookVerificationError` otherwise. */
export function verifyWebhook(secret: string, headers: WebhookHeaders, body: string | Uint8Array): WebhookEvent {
  const text = typeof body === "string" ? body : new TextDecoder("utf-8", { fatal: false }).decode(body);
  let webhook: Webhook;
  try {
    webhook = new Webhook(secret);
  } catch (error) {
    throw new WebhookVerificationError(`Not a webhook secret (expected whsec_…): ${(error as Error).message}`);
  }
  let event: WebhookEvent | undefined;
  try {
    event = webhook.verify(text, pick(headers)) as WebhookEvent | undefined;
  } catch (error) {
    if (error instanceof WebhookVerificationError) throw error;
    // Signed, but not JSON.
    throw new WebhookVerificationError("The signature is valid but the body is not an Inkwell event");
  }
  if (typeof event !== "object" || event === null || typeof event.type !== "string") {
    throw new WebhookVerificationError("The signature is valid but the body is not an Inkwell event");
  }
  return event;
}
