import { DEFAULT_PASSWORD, type Harness } from "./harness.ts";
import { TestAuthenticator } from "./totp.ts";

/** Turns two-factor sign-in on for the session `token` through the real procedures; the app holds the secret. */
export async function enrolTwoFactor(h: Harness, token: string) {
  const caller = await h.as({ bearer: token });
  const { secret, uri } = await caller.auth.twoFactor.beginEnrolment();
  const app = new TestAuthenticator(secret);
  const { recoveryCodes, endedSessions } = await caller.auth.twoFactor.confirmEnrolment({ code: app.code() });
  return { app, secret, uri, recoveryCodes, endedSessions };
}

/** The password step of a two-factor sign-in: the challenge it hands out. */
export async function passwordStep(h: Harness, email: string, options: { password?: string; ip?: string } = {}) {
  const result = await (await h.as({ ip: options.ip })).auth.signIn({
    email,
    password: options.password ?? DEFAULT_PASSWORD,
    session: "token",
  });
  if (!result.twoFactorRequired) throw new Error(`${email} signed in without a second step`);
  return result.challenge;
}

/** Both steps; returns the session token. */
export async function signInWithCode(h: Harness, email: string, code: string, ip?: string): Promise<string> {
  const challenge = await passwordStep(h, email, { ip });
  const { token } = await (await h.as({ ip })).auth.signIn2fa({ challenge, code, session: "token" });
  if (!token) throw new Error("no token");
  return token;
}
