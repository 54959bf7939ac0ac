import { chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import envPaths from "env-paths";
import { UsageError } from "./errors.ts";

export const DEFAULT_URL = "http://127.0.0.1:3000";

/** What `inkwell login` remembers. */
export interface StoredConfig {
  url?: string;
  token?: string;
}

/** The only place the CLI reads environment variables. */
export interface CliEnv {
  apiKey?: string;
  token?: string;
  configDir: string;
}

export function readEnv(env: Record<string, string | undefined> = process.env): CliEnv {
  const present = (name: string) => (env[name] ? env[name] : undefined);
  return {
    apiKey: present("INKWELL_API_KEY"),
    token: present("INKWELL_TOKEN"),
    configDir: present("INKWELL_CONFIG_DIR") ?? envPaths("inkwell").config,
  };
}

export const configFile = (env: CliEnv) => join(env.configDir, "config.json");

export async function readConfig(env: CliEnv): Promise<StoredConfig> {
  let text: string;
  try {
    text = await readFile(configFile(env), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${configFile(env)} is not valid JSON; fix or delete it, then run \`inkwell login\`.`);
  }
  if (typeof parsed !== "object" || parsed === null) return {};
  const { url, token } = parsed as Record<string, unknown>;
  return { url: typeof url === "string" ? url : undefined, token: typeof token === "string" ? token : undefined };
}

/** The file holds a session token: only its owner may read it. */
export async function writeConfig(env: CliEnv, config: StoredConfig): Promise<string> {
  await mkdir(env.configDir, { recursive: true, mode: 0o700 });
  const file = configFile(env);
  await writeFile(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600); // `mode` only applies when the file is created
  return file;
}

export async function removeConfig(env: CliEnv): Promise<void> {
  await rm(configFile(env), { force: true });
}

export type Credential =
  | { kind: "apiKey"; value: string; source: "flag" | "env" }
  | { kind: "token"; value: string; source: "flag" | "env" | "login" };

export interface Connection {
  url: string;
  credential: Credential | null;
}

export interface ConnectionFlags {
  url?: string;
  apiKey?: string;
  token?: string;
}

const sameServer = (a: string, b: string) => a.replace(/\/+$/, "") === b.replace(/\/+$/, "");

/** Credentials: flag, then environment, then the stored login (only for the server it came from). */
export function resolveConnection(flags: ConnectionFlags, env: CliEnv, stored: StoredConfig): Connection {
  const url = flags.url ?? stored.url ?? DEFAULT_URL;
  if (flags.apiKey && flags.token) throw new UsageError("Use either --api-key or --token, not both.");
  if (flags.apiKey) return { url, credential: { kind: "apiKey", value: flags.apiKey, source: "flag" } };
  if (flags.token) return { url, credential: { kind: "token", value: flags.token, source: "flag" } };
  if (env.apiKey && env.token) throw new UsageError("Set either INKWELL_API_KEY or INKWELL_TOKEN, not both.");
  if (env.apiKey) return { url, credential: { kind: "apiKey", value: env.apiKey, source: "env" } };
  if (env.token) return { url, credential: { kind: "token", value: env.token, source: "env" } };
  if (stored.token && stored.url && sameServer(stored.url, url)) {
    return { url, credential: { kind: "token", value: stored.token, source: "login" } };
  }
  return { url, credential: null };
}
