import { randomUUID } from "node:crypto";
import { link, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { decodeEncryptionKey, encodeEncryptionKey, generateEncryptionKey } from "@inkwell/auth";
import { ConfigError, type Env } from "@inkwell/config";
import { inkwellDataDir } from "@inkwell/db";

/** Where the embedded database's generated key lives: beside its cluster, readable by the server's user only. */
export function encryptionKeyFile(env: Pick<Env, "INKWELL_DATA_DIR">): string {
  return join(inkwellDataDir(env), "encryption.key");
}

export type EncryptionKeySource = "environment" | "data directory" | "generated" | "none";

/**
 * The key TOTP secrets are sealed with (see docs/decisions/007):
 * `ENCRYPTION_KEY` when set; otherwise, with the embedded database, the key
 * kept in the data directory (generated there, mode 0600, on first start),
 * since the data and its key then live and travel together. With
 * `DATABASE_URL` and no `ENCRYPTION_KEY` there is none: the server starts,
 * and two-factor enrolment is refused with a message naming the variable.
 */
export async function resolveEncryptionKey(
  env: Pick<Env, "ENCRYPTION_KEY" | "DATABASE_URL" | "INKWELL_DATA_DIR">,
): Promise<{ key: Uint8Array | null; source: EncryptionKeySource }> {
  if (env.ENCRYPTION_KEY) {
    const key = decodeEncryptionKey(env.ENCRYPTION_KEY);
    if (!key) throw new ConfigError(["ENCRYPTION_KEY: expected base64 of 32 random bytes (got a hidden value)"]);
    return { key, source: "environment" };
  }
  if (env.DATABASE_URL) return { key: null, source: "none" };

  const file = encryptionKeyFile(env);
  const generated = generateEncryptionKey();
  await mkdir(inkwellDataDir(env), { recursive: true, mode: 0o755 });
  // Written whole under a name of its own, then linked into place: link() fails if the file exists, so of
  // two processes starting at once one key wins, and neither ever reads a half-written file.
  const draft = `${file}.${randomUUID()}.tmp`;
  await writeFile(draft, `${encodeEncryptionKey(generated)}\n`, { mode: 0o600 });
  try {
    await link(draft, file);
    return { key: generated, source: "generated" };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    await rm(draft, { force: true });
  }
  const key = decodeEncryptionKey(await readFile(file, "utf8"));
  if (!key) throw new ConfigError([`${file}: does not hold base64 of 32 bytes; restore it, or set ENCRYPTION_KEY`]);
  return { key, source: "data directory" };
}
