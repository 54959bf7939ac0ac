import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP } from "@oslojs/otp";

/** The code an authenticator app shows for `key` now, or `stepsAhead` 30-second steps later (never earlier). */
export function totpCode(key: Uint8Array, stepsAhead = 0): string {
  return generateHOTP(key, BigInt(Math.floor(Date.now() / 30_000) + stepsAhead), 6);
}

/** A six-digit code the server does not accept now. */
export function wrongTotpCode(key: Uint8Array): string {
  const accepted = new Set([-1, 0, 1, 2].map((ahead) => totpCode(key, ahead)));
  let n = 0;
  while (accepted.has(String(n).padStart(6, "0"))) n++;
  return String(n).padStart(6, "0");
}

type TrpcAnswer = { result?: { data?: { json?: unknown } }; error?: { json?: { message?: string } } };

async function mutate(url: string, path: string, input: unknown, token: string): Promise<unknown> {
  const response = await fetch(`${url}/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ json: input }),
  });
  const answer = (await response.json()) as TrpcAnswer;
  if (!response.ok) throw new Error(`${path}: ${response.status} ${answer.error?.json?.message}`);
  return answer.result?.data?.json;
}

/** Turns two-factor sign-in on for the session `token` over HTTP, as a client does; returns the app's key. */
export async function enrolOverHttp(url: string, token: string) {
  const { secret } = (await mutate(url, "auth.twoFactor.beginEnrolment", undefined, token)) as { secret: string };
  const key = decodeBase32IgnorePadding(secret);
  const { recoveryCodes } = (await mutate(url, "auth.twoFactor.confirmEnrolment", { code: totpCode(key) }, token)) as {
    recoveryCodes: string[];
  };
  return { key, recoveryCodes };
}
