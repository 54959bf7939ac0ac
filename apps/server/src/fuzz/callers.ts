import type { SqlClient } from "@inkwell/db";

export type FuzzRole = "anonymous" | "user" | "admin";
export const FUZZ_ROLES: readonly FuzzRole[] = ["anonymous", "user", "admin"];

/** Every account the fuzz run creates signs up with this password; it is also fed to the generator, so sign-ins can succeed. */
export const FUZZ_PASSWORD = "fuzz password 1";

interface Account {
  id: number;
  email: string;
  username: string;
  /** The session behind its token or cookie (`<session id>.<secret>`). */
  sessionId: string;
  headers: Record<string, string>;
}

type SignedInRole = "user" | "admin" | "author";

const expectedRole = (role: SignedInRole) => (role === "admin" ? "admin" : "user");

/**
 * The signed-in callers of the run, one account per role, replaced when the
 * fuzzed calls end them: deleted, suspended, signed out, promoted… by the
 * admin or by themselves. The plain user sends a bearer token (as apps do);
 * the admin the session cookie with `Sec-Fetch-Site: same-origin` (as the
 * admin console in a browser does). `author` owns the fixture content and is
 * never used for fuzzed calls.
 */
export class Callers {
  private readonly accounts = new Map<SignedInRole, Account>();
  private counter = 0;

  constructor(
    private readonly url: string,
    private readonly sql: SqlClient,
  ) {}

  async start(): Promise<void> {
    for (const role of ["user", "admin", "author"] as const) this.accounts.set(role, await this.signUp(role));
  }

  headers(role: FuzzRole | "author"): Record<string, string> {
    if (role === "anonymous") return {};
    return this.account(role).headers;
  }

  account(role: SignedInRole): Account {
    const account = this.accounts.get(role);
    if (!account) throw new Error(`no ${role} signed in`);
    return account;
  }

  /** The signed-in accounts now, for the generator's known values. */
  allAccounts(): Account[] {
    return [...this.accounts.values()];
  }

  /**
   * Replaces every account that no longer signs in as what it was (call after a change went through):
   * its session must still exist, its user be active and keep its role.
   */
  async heal(): Promise<void> {
    const accounts = [...this.accounts];
    const alive = await this.sql<{ session_id: string; user_id: number; role: string; status: string }[]>`
      select s.id as session_id, u.id as user_id, u.role, u.status
      from sessions s join users u on u.id = s.user_id
      where s.id in ${this.sql(accounts.map(([, account]) => account.sessionId))}`;
    for (const [role, account] of accounts) {
      const row = alive.find((r) => r.session_id === account.sessionId);
      const valid = row?.user_id === account.id && row.status === "active" && row.role === expectedRole(role);
      if (!valid) this.accounts.set(role, await this.signUp(role));
    }
  }

  private async signUp(role: SignedInRole): Promise<Account> {
    this.counter++;
    const username = `fuzz-${role}-${this.counter}`;
    const email = `${username}@example.com`;
    const transport = role === "admin" ? "cookie" : "token";
    const response = await fetch(`${this.url}/trpc/auth.signUp`, {
      method: "POST",
      headers: { "content-type": "application/json", "sec-fetch-site": "same-origin" },
      body: JSON.stringify({ json: { email, username, password: FUZZ_PASSWORD, session: transport } }),
    });
    if (response.status !== 200) throw new Error(`sign-up of the ${role} failed: ${await response.text()}`);
    const { result } = (await response.json()) as {
      result: { data: { json: { user: { id: number }; token?: string } } };
    };
    const { id } = result.data.json.user;
    // No procedure makes the first admin of a fresh account (and the fuzzed admin may have lost the only
    // known password to auth.updateProfile): promote it in the database, as the bootstrap does.
    if (role === "admin") await this.sql`update users set role = 'admin' where id = ${id}`;
    const token =
      transport === "cookie"
        ? (response.headers.get("set-cookie") ?? "").split(";")[0]?.split("=")[1]
        : result.data.json.token;
    if (!token) throw new Error(`sign-up of the ${role} returned no ${transport}`);
    const headers: Record<string, string> =
      transport === "cookie"
        ? { cookie: `inkwell_session=${token}`, "sec-fetch-site": "same-origin" }
        : { authorization: `Bearer ${token}` };
    return { id, email, username, sessionId: token.split(".")[0] ?? "", headers };
  }
}
