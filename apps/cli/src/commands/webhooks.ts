import { readFile } from "node:fs/promises";
import { verifyWebhook, WebhookVerificationError } from "@inkwell/client/webhooks";
import type { Command } from "commander";
import type { CliContext } from "../context.ts";
import { EXIT_FAILED, UsageError } from "../errors.ts";
import type { InputStream } from "../io.ts";
import { collectRepeated } from "../options.ts";

/** `webhook-id: msg_…` → ["webhook-id", "msg_…"]. */
function parseHeader(line: string): [string, string] {
  const colon = line.indexOf(":");
  if (colon <= 0) throw new UsageError(`--header "${line}": expected "name: value", e.g. "webhook-id: msg_…".`);
  return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
}

async function readAll(stdin: InputStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

export function registerWebhookCommands(program: Command, ctx: CliContext): void {
  const webhooks = program.command("webhooks").description("webhooks Inkwell sends to other systems");

  webhooks
    .command("verify")
    .description("check a received webhook's signature and timestamp (Standard Webhooks) and print its event")
    .requiredOption("--secret <whsec>", "the endpoint's signing secret (whsec_…)")
    .option("--file <path>", "the body exactly as received (default: read from stdin)")
    .option(
      "--header <name: value>",
      "a received header; give webhook-id, webhook-timestamp and webhook-signature (repeat)",
      collectRepeated,
    )
    .action(async (options: { secret: string; file?: string; header?: string[] }) => {
      const headers = Object.fromEntries((options.header ?? []).map(parseHeader));
      const body = options.file ? await readFile(options.file) : await readAll(ctx.io.stdin);
      try {
        const event = verifyWebhook(options.secret, headers, body);
        ctx.output.show({ valid: true, webhookId: headers["webhook-id"], event }, () => {
          ctx.output.line(`Valid: ${event.type} (${headers["webhook-id"]}), sent ${event.timestamp}`);
          ctx.output.line(JSON.stringify(event.data, null, 2));
        });
      } catch (error) {
        if (!(error instanceof WebhookVerificationError)) throw error;
        ctx.output.show({ valid: false, reason: error.message }, () =>
          ctx.output.note(`Invalid webhook: ${error.message}.`),
        );
        ctx.exitCode = EXIT_FAILED;
      }
    });
}
