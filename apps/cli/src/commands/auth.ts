import { type InkwellClient, inkwellErrorDetails, type RouterOutputs } from "@inkwell/client";
import type { Command } from "commander";
import { writeConfig } from "../config.ts";
import type { CliContext } from "../context.ts";
import { UsageError } from "../errors.ts";
import { formatDate } from "../output.ts";
import { ask } from "../prompt.ts";

type Me = RouterOutputs["auth"]["me"];

function describeCredential(credential: Me["credential"]): string {
  return credential.kind === "session"
    ? `session (until ${formatDate(credential.expiresAt)})`
    : `API key "${credential.name}" (${credential.prefix}…)`;
}

export function registerAuthCommands(program: Command, ctx: CliContext): void {
  program
    .command("login")
    .description("sign in and remember the session for this server")
    .option("--email <email>", "your email (asked for when omitted on a terminal)")
    .option("--password <password>", "your password (asked for when omitted on a terminal)")
    .option("--code <code>", "with two-factor sign-in: the code from your app (asked for when needed on a terminal)")
    .option("--recovery-code <code>", "with two-factor sign-in: one of your recovery codes, instead of --code")
    .action(async (options: { email?: string; password?: string; code?: string; recoveryCode?: string }) => {
      const { url } = await ctx.connection();
      const email = options.email ?? (await ask(ctx.io, "Email: ", "--email"));
      const password = options.password ?? (await ask(ctx.io, "Password: ", "--password", { hidden: true }));
      const client = await ctx.anonymousClient();
      const first = await client.auth.signIn.mutate({ email, password, session: "token" });
      const signedIn = first.twoFactorRequired
        ? await client.auth.signIn2fa.mutate({
            challenge: first.challenge,
            ...(options.recoveryCode !== undefined
              ? { recoveryCode: options.recoveryCode }
              : { code: options.code ?? (await ask(ctx.io, "Code from your authenticator app: ", "--code")) }),
            session: "token",
          })
        : first;
      if (!signedIn.token) throw new Error("The server did not hand out a session token.");
      const configFile = await writeConfig(ctx.env, { url, token: signedIn.token });
      ctx.output.show({ user: signedIn.user, expiresAt: signedIn.expiresAt, url, configFile }, () =>
        ctx.output.line(`Signed in to ${url} as ${signedIn.user.username}. Session saved in ${configFile}.`),
      );
    });

  program
    .command("logout")
    .description("end the session and forget it")
    .action(async () => {
      const { url, credential } = await ctx.connection();
      if (credential?.kind === "apiKey") {
        throw new UsageError("logout ends sessions; an API key is revoked with `inkwell keys revoke <id>`.");
      }
      if (credential) await signOut(await ctx.client());
      const stored = await ctx.storedConfig();
      if (stored.token && stored.token === credential?.value) await writeConfig(ctx.env, { url: stored.url });
      ctx.output.show({ signedOut: Boolean(credential), url }, () =>
        ctx.output.line(credential ? `Signed out of ${url}.` : "You were not signed in."),
      );
    });

  program
    .command("whoami")
    .description("show who the server sees")
    .action(async () => {
      const { url } = await ctx.connection();
      const me = await (await ctx.client()).auth.me.query();
      ctx.output.show(me, () =>
        ctx.output.record([
          ["Username", me.user.username],
          ["Email", me.user.email],
          ["Role", me.user.role],
          ["Signed in with", describeCredential(me.credential)],
          ["Server", url],
        ]),
      );
    });
}

/** A session the server already ended needs no ending. */
async function signOut(client: InkwellClient): Promise<void> {
  try {
    await client.auth.signOut.mutate();
  } catch (error) {
    if (inkwellErrorDetails(error).code !== "UNAUTHORIZED") throw error;
  }
}
