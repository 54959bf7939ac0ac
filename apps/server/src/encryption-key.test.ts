import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeEncryptionKey } from "@inkwell/auth";
import { ConfigError } from "@inkwell/config";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encryptionKeyFile, resolveEncryptionKey } from "./encryption-key.ts";

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "inkwell-key-"));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

const embedded = () => ({ INKWELL_DATA_DIR: dataDir, DATABASE_URL: undefined, ENCRYPTION_KEY: undefined });

describe("resolveEncryptionKey", () => {
  it("uses ENCRYPTION_KEY when set, and writes nothing", async () => {
    const text = Buffer.alloc(32, 9).toString("base64");
    const resolved = await resolveEncryptionKey({ ...embedded(), ENCRYPTION_KEY: text });
    expect(resolved).toEqual({ key: new Uint8Array(Buffer.alloc(32, 9)), source: "environment" });
    await expect(stat(encryptionKeyFile(embedded()))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("with the embedded database, generates a key beside it on first start (mode 0600) and reuses it", async () => {
    const first = await resolveEncryptionKey(embedded());
    expect(first.source).toBe("generated");
    expect(first.key?.byteLength).toBe(32);
    const file = encryptionKeyFile(embedded());
    expect(file).toBe(join(dataDir, "encryption.key"));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(decodeEncryptionKey(await readFile(file, "utf8"))).toEqual(first.key);

    const again = await resolveEncryptionKey(embedded());
    expect(again).toEqual({ key: first.key, source: "data directory" });
  });

  it("gives processes starting at once the same key", async () => {
    const keys = await Promise.all(Array.from({ length: 8 }, () => resolveEncryptionKey(embedded())));
    expect(keys.filter((resolved) => resolved.source === "generated")).toHaveLength(1);
    for (const resolved of keys) expect(resolved.key).toEqual(keys[0]?.key);
  });

  it("has none with DATABASE_URL and no ENCRYPTION_KEY: the key must travel with the data, not sit in one host's folder", async () => {
    const resolved = await resolveEncryptionKey({ ...embedded(), DATABASE_URL: "postgres://db/inkwell" });
    expect(resolved).toEqual({ key: null, source: "none" });
  });

  it("stops at a damaged key file rather than sealing new secrets under another key", async () => {
    await writeFile(encryptionKeyFile(embedded()), "not a key\n", { mode: 0o600 });
    await expect(resolveEncryptionKey(embedded())).rejects.toBeInstanceOf(ConfigError);
  });
});
