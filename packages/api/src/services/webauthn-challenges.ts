import { and, type Executor, eq, gt, schema } from "@inkwell/db";
import { decodeClientDataJSON } from "@simplewebauthn/server/helpers";
import { Unauthorized } from "../errors.ts";

const { webauthnChallenges } = schema;

/** How long a browser has to answer a passkey prompt (the prompt's own timeout is a minute). */
export const WEBAUTHN_CHALLENGE_LIFETIME_MS = 2 * 60_000;

export const PASSKEY_CHALLENGE_INVALID = "This passkey prompt has expired or was already answered. Try again.";

type Purpose = (typeof schema.webauthnChallengePurposes)[number];

/** Keeps a challenge the browser was just given (`generate*Options` made it: 32 random bytes, base64url). */
export async function storeChallenge(
  db: Executor,
  challenge: string,
  purpose: Purpose,
  userId: number | null,
  userHandle: string | null = null,
) {
  await db.insert(webauthnChallenges).values({
    challenge,
    purpose,
    userId,
    userHandle,
    expiresAt: new Date(Date.now() + WEBAUTHN_CHALLENGE_LIFETIME_MS),
  });
}

/** The challenge a response claims to answer, as the browser wrote it in clientDataJSON. */
function challengeOf(clientDataJSON: string): string {
  let challenge: unknown;
  try {
    challenge = (decodeClientDataJSON(clientDataJSON) as { challenge?: unknown } | null)?.challenge;
  } catch {
    throw new Unauthorized(PASSKEY_CHALLENGE_INVALID);
  }
  // Client data that is not an object with a challenge of ours (43 base64url characters) answers nothing.
  if (typeof challenge !== "string" || !/^[A-Za-z0-9_-]{1,128}$/.test(challenge)) {
    throw new Unauthorized(PASSKEY_CHALLENGE_INVALID);
  }
  return challenge;
}

/**
 * Takes the challenge a response answers, whatever happens next: each one is
 * answered once. A registration challenge must be the caller's own. Pass the
 * pool that commits on its own, so a refused answer cannot roll it back.
 */
export async function takeChallenge(
  counters: Executor,
  clientDataJSON: string,
  purpose: Purpose,
  userId: number | null,
): Promise<{ challenge: string; userHandle: string | null }> {
  const challenge = challengeOf(clientDataJSON);
  const [taken] = await counters
    .delete(webauthnChallenges)
    .where(
      and(
        eq(webauthnChallenges.challenge, challenge),
        eq(webauthnChallenges.purpose, purpose),
        gt(webauthnChallenges.expiresAt, new Date()),
      ),
    )
    .returning({ userId: webauthnChallenges.userId, userHandle: webauthnChallenges.userHandle });
  if (!taken || taken.userId !== userId) throw new Unauthorized(PASSKEY_CHALLENGE_INVALID);
  return { challenge, userHandle: taken.userHandle };
}
