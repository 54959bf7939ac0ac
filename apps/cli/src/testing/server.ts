import { createInkwellClient } from "@inkwell/client";

// The real server, from the server app's test helpers (a dev dependency of the CLI).
export { startTestServer, TEST_ADMIN as ADMIN, type TestServer } from "@inkwell/server/testing";

/** A new user with role "user", signed up through the API; returns their session token. */
export async function signUp(url: string, username: string) {
  const account = { email: `${username}@example.com`, username, password: `${username} password 1` };
  const { token } = await createInkwellClient({ url }).auth.signUp.mutate({ ...account, session: "token" });
  if (!token) throw new Error("signUp returned no token");
  return { ...account, token };
}
