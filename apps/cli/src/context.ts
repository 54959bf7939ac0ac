import { createInkwellClient, type InkwellClient } from "@inkwell/client";
import {
  type CliEnv,
  type Connection,
  type ConnectionFlags,
  readConfig,
  readEnv,
  resolveConnection,
  type StoredConfig,
} from "./config.ts";
import { EXIT_FAILED, EXIT_OK } from "./errors.ts";
import type { Io } from "./io.ts";
import { Output } from "./output.ts";

export interface GlobalOptions extends ConnectionFlags {
  json?: boolean;
}

/** What every command of one run shares: streams, settings, the server connection and the exit code. */
export class CliContext {
  readonly env: CliEnv;
  exitCode = EXIT_OK;
  private stored?: Promise<StoredConfig>;
  private resolved?: Connection;

  constructor(
    readonly io: Io,
    private readonly globals: () => GlobalOptions,
  ) {
    this.env = readEnv(io.env);
  }

  get output(): Output {
    return new Output(this.io, Boolean(this.globals().json));
  }

  storedConfig(): Promise<StoredConfig> {
    this.stored ??= readConfig(this.env);
    return this.stored;
  }

  async connection(): Promise<Connection> {
    this.resolved ??= resolveConnection(this.globals(), this.env, await this.storedConfig());
    return this.resolved;
  }

  /** The server address, once a command has worked it out (for error messages). */
  connectionUrl(): string | undefined {
    return this.resolved?.url;
  }

  /** A client carrying the caller's credential, if there is one. */
  async client(): Promise<InkwellClient> {
    const { url, credential } = await this.connection();
    if (!credential) return createInkwellClient({ url });
    return createInkwellClient(
      credential.kind === "apiKey" ? { url, apiKey: credential.value } : { url, token: credential.value },
    );
  }

  async anonymousClient(): Promise<InkwellClient> {
    return createInkwellClient({ url: (await this.connection()).url });
  }

  /** Some of the work failed; the run ends with exit code 1 after finishing the rest. */
  markFailed(): void {
    this.exitCode = EXIT_FAILED;
  }
}
