/**
 * Whether a session's sign-in was at most `windowMs` ago. Changes that add a way into an account or take one
 * away from its owner (a password set without the current one, a new passkey) ask for a recent sign-in: proof
 * that the person at the keyboard is the owner, not someone who found an unlocked session.
 */
export function signedInWithin(session: { createdAt: Date }, windowMs: number, now = Date.now()): boolean {
  return now - session.createdAt.getTime() <= windowMs;
}
