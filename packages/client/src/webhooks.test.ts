import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { verifyWebhook, type WebhookEvent, WebhookVerificationError } from "./webhooks.ts";

const secret = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
const event: WebhookEvent = {
  type: "user.suspended",
  timestamp: "2026-11-30T12:00:00.000Z",
  data: { user: { id: 7, username: "mallory" } },
};
const body = JSON.stringify(event);

function signed(at = new Date(), id = "msg_1", text = body) {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(id, at, text),
  };
}

describe("verifyWebhook", () => {
  it("returns the typed event for a delivery signed with the secret, from Node or Fetch headers and text or bytes", () => {
    expect(verifyWebhook(secret, signed(), body)).toEqual(event);
    expect(verifyWebhook(secret, new Headers(signed()), new TextEncoder().encode(body))).toEqual(event);
    const upper = Object.fromEntries(Object.entries(signed()).map(([name, value]) => [name.toUpperCase(), value]));
    const verified = verifyWebhook(secret, { ...upper, "content-type": "application/json" }, body);
    // The union narrows by type.
    if (verified.type === "user.suspended") expect(verified.data.user.username).toBe("mallory");
  });

  it("refuses a changed body, another secret, another id, a stale or future timestamp, missing or doubled headers", () => {
    const refusals: [() => unknown, RegExp][] = [
      [() => verifyWebhook(secret, signed(), body.replace("mallory", "alice")), /No matching signature/],
      [() => verifyWebhook(`whsec_${Buffer.alloc(32, 8).toString("base64")}`, signed(), body), /No matching signature/],
      [() => verifyWebhook(secret, { ...signed(), "webhook-id": "msg_2" }, body), /No matching signature/],
      [() => verifyWebhook(secret, signed(new Date(Date.now() - 6 * 60_000)), body), /too old/],
      [() => verifyWebhook(secret, signed(new Date(Date.now() + 6 * 60_000)), body), /too new/],
      [() => verifyWebhook(secret, { "webhook-id": "msg_1" }, body), /Missing required headers/],
      [() => verifyWebhook(secret, {}, body), /Missing required headers/],
      [() => verifyWebhook(secret, { ...signed(), "webhook-id": ["msg_1", "msg_1"] }, body), /more than once/],
      [() => verifyWebhook(secret, { ...signed(), "webhook-timestamp": "soon" }, body), /Invalid Signature Headers/],
      [() => verifyWebhook("whsec_", signed(), body), /Not a webhook secret/],
      [() => verifyWebhook("whsec_!!!", signed(), body), /Not a webhook secret/],
      [() => verifyWebhook(secret, signed(new Date(), "msg_1", "not json"), "not json"), /not an Inkwell event/],
      [() => verifyWebhook(secret, signed(new Date(), "msg_1", "[1]"), "[1]"), /not an Inkwell event/],
    ];
    for (const [attempt, message] of refusals) {
      expect(attempt).toThrow(WebhookVerificationError);
      expect(attempt).toThrow(message);
    }
  });
});
