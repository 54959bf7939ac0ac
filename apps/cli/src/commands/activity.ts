import type { RouterOutputs } from "@inkwell/client";
import type { Command } from "commander";
import type { CliContext } from "../context.ts";
import { wholeNumber } from "../options.ts";
import { formatDate } from "../output.ts";

type AuditEvent = RouterOutputs["audit"]["list"]["events"][number];

interface TailOptions {
  since?: number;
  count?: number;
}

/** One line per event: when, id, what, who, on what, and whether it failed. */
function eventLine(event: AuditEvent): string {
  const target = event.targetType ? ` ${event.targetType} ${event.targetId ?? ""}`.trimEnd() : "";
  const failed = event.details.outcome === "failure" ? " (failed)" : "";
  return `${formatDate(event.createdAt)}  #${event.id}  ${event.action}${failed}  by ${event.actor?.username ?? "anonymous"}${target}`;
}

/**
 * Prints audit events as they happen until interrupted, `count` is reached,
 * or the server ends the stream (a revoked session or key fails the run).
 */
async function tail(ctx: CliContext, options: TailOptions): Promise<void> {
  const client = await ctx.client();
  const { url } = await ctx.connection();
  let printed = 0;
  await new Promise<void>((resolve, reject) => {
    const subscription = client.activity.onEvent.subscribe(
      { lastEventId: options.since === undefined ? undefined : String(options.since) },
      {
        onStarted: () => ctx.output.note(`Watching activity on ${url}… (Ctrl-C to stop)`),
        onData: ({ data: event }) => {
          if (ctx.output.json) ctx.output.jsonLine(event);
          else ctx.output.line(eventLine(event));
          printed++;
          if (options.count !== undefined && printed >= options.count) {
            subscription.unsubscribe();
            resolve();
          }
        },
        onError: reject,
        onComplete: resolve,
      },
    );
  });
}

export function registerActivityCommands(program: Command, ctx: CliContext): void {
  const activity = program.command("activity").description("what happens on the server, live (operators)");

  activity
    .command("tail")
    .description("print audit events as they happen, from any server process, until interrupted")
    .option("--since <id>", "first print the events after this event id (the last one you saw)", wholeNumber)
    .option("--count <n>", "stop after this many events", wholeNumber)
    .action((options: TailOptions) => tail(ctx, options));
}
