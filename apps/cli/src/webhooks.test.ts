import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Io } from "./io.ts";
import { run } from "./program.ts";

const secret = `whsec_${Buffer.alloc(32, 3).toString("base64")}`;
const body = JSON.stringify({
  type: "comment.created",
  timestamp: new Date().toISOString(),
  data: {
    comment: { id: 1, body: "Hi, there", author: { id: 2, username: "ann" }, createdAt: new Date().toISOString() },
    article: { id: 3, slug: "s", title: "T" },
  },
});

function headerFlags(id = "msg_cli", text = body): string[] {
  const now = new Date();
  return [
    "--header",
    `webhook-id: ${id}`,
    "--header",
    `Webhook-Timestamp: ${Math.floor(now.getTime() / 1000)}`,
    "--header",
    `webhook-signature: ${new Webhook(secret).sign(id, now, text)}`,
  ];
}

/** The CLI in-process, with `stdin` holding `input`; the verify command needs no server. */
async function cli(args: string[], input = "") {
  let stdout = "";
  let stderr = "";
  const io: Io = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: {
      isTTY: false,
      async *[Symbol.asyncIterator]() {
        if (input) yield Buffer.from(input);
      },
    },
    env: { INKWELL_CONFIG_DIR: join(dir, "config") },
  };
  const code = await run(args, io);
  return { code, stdout, stderr };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "inkwell-webhooks-cli-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("inkwell webhooks verify", () => {
  it("accepts a correctly signed body from a file or stdin and prints the event", async () => {
    const file = join(dir, "body.json");
    await writeFile(file, body);
    const fromFile = await cli(["webhooks", "verify", "--secret", secret, "--file", file, ...headerFlags()]);
    expect(fromFile).toMatchObject({ code: 0, stderr: "" });
    expect(fromFile.stdout).toMatch(/^Valid: comment.created \(msg_cli\), sent \d{4}-/);
    expect(fromFile.stdout).toContain('"body": "Hi, there"');

    const fromStdin = await cli(["--json", "webhooks", "verify", "--secret", secret, ...headerFlags()], body);
    expect(fromStdin.code).toBe(0);
    expect(JSON.parse(fromStdin.stdout)).toEqual({ valid: true, webhookId: "msg_cli", event: JSON.parse(body) });
  });

  it("exits 1 with the reason for a tampered body, a wrong secret or missing headers", async () => {
    const tampered = await cli(["webhooks", "verify", "--secret", secret, ...headerFlags()], body.replace("Hi", "Yo"));
    expect(tampered).toEqual({ code: 1, stdout: "", stderr: "Invalid webhook: No matching signature found.\n" });

    const other = `whsec_${Buffer.alloc(32, 4).toString("base64")}`;
    const wrongSecret = await cli(["--json", "webhooks", "verify", "--secret", other, ...headerFlags()], body);
    expect(wrongSecret.code).toBe(1);
    expect(JSON.parse(wrongSecret.stdout)).toEqual({ valid: false, reason: "No matching signature found" });

    const noHeaders = await cli(["webhooks", "verify", "--secret", secret], body);
    expect(noHeaders).toMatchObject({ code: 1, stderr: "Invalid webhook: Missing required headers.\n" });
  });

  it("exits 2 on a malformed header or no secret", async () => {
    const malformed = await cli(["webhooks", "verify", "--secret", secret, "--header", "webhook-id"], body);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/expected "name: value"/);
    expect((await cli(["webhooks", "verify"], body)).code).toBe(2);
  });
});
