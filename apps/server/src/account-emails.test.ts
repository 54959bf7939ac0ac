import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { register, trpc } from "./testing/conduit.ts";
import { startTestServer, type TestServer } from "./testing/index.ts";
import { type SmtpReceiver, startSmtpReceiver } from "./testing/smtp-receiver.ts";

const PUBLIC_URL = "https://inkwell.example.com";

let server: TestServer;
let receiver: SmtpReceiver;
beforeAll(async () => {
  receiver = await startSmtpReceiver();
  server = await startTestServer({ SMTP_URL: receiver.url, SMTP_FROM: "Inkwell <noreply@inkwell.test>", PUBLIC_URL });
});
afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

type Mail = SmtpReceiver["accepted"][number];
const recipientOf = (mail: Mail) => (mail.to && !Array.isArray(mail.to) ? mail.to.text : "");

/** Waits for the SMTP server to receive mail for `to` matching `subject`; returns the newest. */
async function mailTo(to: string, subject: string): Promise<Mail> {
  const matching = () => receiver.accepted.filter((mail) => recipientOf(mail) === to && mail.subject === subject);
  await expect.poll(() => matching().length, { timeout: 15_000, interval: 100 }).toBeGreaterThan(0);
  return matching().at(-1) as Mail;
}

function tokenIn(mail: Mail, path: string): string {
  const match = new RegExp(`${PUBLIC_URL}${path}\\?token=([a-z2-7]{32})`).exec(mail.text || "");
  if (!match?.[1]) throw new Error(`no ${path} link in ${mail.text}`);
  return match[1];
}

async function rest(method: string, path: string, body: unknown, token?: string) {
  const response = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Token ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { user?: { email: string; token: string } } };
}

describe("account emails over HTTP, through a real SMTP server", () => {
  it("REST registration mails a verification link on PUBLIC_URL; opening it verifies the address", async () => {
    const writer = await register(server.url, "verifier");
    const mail = await mailTo(writer.email, "Confirm your email address for Inkwell");
    expect(mail.html).toContain(`href="${PUBLIC_URL}/verify-email?token=`);
    const token = tokenIn(mail, "/verify-email");

    expect((await trpc(server.url, "auth.me", { token: writer.token })).data).toMatchObject({
      user: { emailVerified: false },
    });
    const verified = await trpc(server.url, "auth.verifyEmail", { mutation: true, input: { token } });
    expect(verified).toMatchObject({ status: 200, data: { email: writer.email, changed: false } });
    expect((await trpc(server.url, "auth.me", { token: writer.token })).data).toMatchObject({
      user: { emailVerified: true },
    });
    const again = await trpc(server.url, "auth.verifyEmail", { mutation: true, input: { token } });
    expect(again.status).toBe(400);
  });

  it("a tRPC batch of 40 reset requests sends at most three links; the last one sets the password", async () => {
    const writer = await register(server.url, "forgetful");
    const calls = Array.from({ length: 40 }, () => "auth.requestPasswordReset");
    const input = Object.fromEntries(calls.map((_, i) => [i, { json: { email: writer.email } }]));
    const response = await fetch(`${server.url}/trpc/${calls.join(",")}?batch=1`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(input),
    });
    const answers = (await response.json()) as {
      result?: unknown;
      error?: { json: { data: { httpStatus: number } } };
    }[];
    expect(answers).toHaveLength(40);
    expect(answers.filter((answer) => answer.result)).toHaveLength(3);
    expect(answers.filter((answer) => answer.error?.json.data.httpStatus === 429)).toHaveLength(37);

    const subject = "Reset your Inkwell password";
    await expect
      .poll(
        () => receiver.accepted.filter((mail) => recipientOf(mail) === writer.email && mail.subject === subject).length,
        {
          timeout: 15_000,
          interval: 100,
        },
      )
      .toBe(3);
    const links = receiver.accepted
      .filter((mail) => recipientOf(mail) === writer.email && mail.subject === subject)
      .map((mail) => tokenIn(mail, "/reset-password"));
    expect(new Set(links).size).toBe(3);

    // Only the newest link works; which one is newest is the database's order, so try them all.
    const outcomes = [];
    for (const token of links) {
      outcomes.push(
        (
          await trpc(server.url, "auth.resetPassword", {
            mutation: true,
            input: { token, password: "reset over http" },
          })
        ).status,
      );
    }
    expect(outcomes.sort()).toEqual([200, 400, 400]);
    expect((await rest("GET", "/user", undefined, writer.token)).status).toBe(401);
    const login = await rest("POST", "/users/login", { user: { email: writer.email, password: "reset over http" } });
    expect(login.status).toBe(200);
  });

  it("REST PUT /user with a new email answers the current one; the new address confirms, the old one is told", async () => {
    const writer = await register(server.url, "relocating");
    const newEmail = "relocated@example.com";
    const put = await rest("PUT", "/user", { user: { email: newEmail } }, writer.token);
    expect(put.status).toBe(200);
    expect(put.body.user?.email).toBe(writer.email);

    const notice = await mailTo(writer.email, "Your Inkwell email address is about to change");
    expect(notice.text).toContain(newEmail);
    const confirm = await mailTo(newEmail, "Confirm your new email address for Inkwell");
    const token = tokenIn(confirm, "/verify-email");
    const verified = await trpc(server.url, "auth.verifyEmail", { mutation: true, input: { token } });
    expect(verified).toMatchObject({ status: 200, data: { email: newEmail, changed: true } });
    expect((await rest("GET", "/user", undefined, writer.token)).body.user?.email).toBe(newEmail);
  });
});
