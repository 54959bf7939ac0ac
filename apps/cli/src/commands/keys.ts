import type { RouterInputs, RouterOutputs } from "@inkwell/client";
import type { Command } from "commander";
import type { CliContext } from "../context.ts";
import { UsageError } from "../errors.ts";
import { collectList, isoDate, wholeNumber } from "../options.ts";
import { formatDate } from "../output.ts";

type Key = RouterOutputs["apiKeys"]["list"][number];
type Scope = RouterInputs["apiKeys"]["create"]["scopes"][number];

const keyRow = (key: Key) => [
  key.id,
  key.name,
  `${key.prefix}…`,
  key.scopes.join(", "),
  formatDate(key.expiresAt) || "never",
  formatDate(key.lastUsedAt),
  formatDate(key.revokedAt),
];
const KEY_HEAD = ["Id", "Name", "Prefix", "Scopes", "Expires", "Last used", "Revoked"];

export function registerKeyCommands(program: Command, ctx: CliContext): void {
  const keys = program.command("keys").description("API keys for scripts and other apps");

  keys
    .command("create")
    .description("create an API key; it is shown once")
    .requiredOption("--name <name>", "what the key is for")
    .option(
      "--scope <permission>",
      "a permission to grant (repeat or separate with commas; none by default)",
      collectList,
    )
    .option("--expires <date>", "ISO date when the key stops working (default: never)", isoDate)
    .action(async (options: { name: string; scope?: string[]; expires?: Date }) => {
      const client = await ctx.client();
      // The server checks the names; the cast only satisfies the compiler.
      const scopes = (options.scope ?? []) as Scope[];
      const created = await client.apiKeys.create.mutate({
        name: options.name,
        scopes,
        expiresAt: options.expires ?? null,
      });
      ctx.output.show(created, () => {
        ctx.output.table(KEY_HEAD, [keyRow(created)]);
        ctx.output.line(`Key (shown only now; store it safely): ${created.key}`);
      });
    });

  keys
    .command("list")
    .description("list your API keys")
    .action(async () => {
      const list = await (await ctx.client()).apiKeys.list.query();
      ctx.output.show(list, () => ctx.output.table(KEY_HEAD, list.map(keyRow)));
    });

  keys
    .command("revoke")
    .description("revoke one of your API keys")
    .argument("<id>", "the key's id (see `inkwell keys list`)")
    .action(async (id: string) => {
      const keyId = parseId(id);
      const revoked = await (await ctx.client()).apiKeys.revoke.mutate({ id: keyId });
      ctx.output.show(revoked, () => ctx.output.line(`Revoked key ${revoked.id} (${revoked.name}).`));
    });
}

function parseId(value: string): number {
  try {
    return wholeNumber(value);
  } catch {
    throw new UsageError(`"${value}" is not a key id; ids are whole numbers.`);
  }
}
