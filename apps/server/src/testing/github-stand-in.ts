import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** A GitHub account as the stand-in serves it. */
export interface GithubAccount {
  id: number;
  login: string;
  emails: { email: string; primary: boolean; verified: boolean }[];
}

export const GITHUB_TEST_CLIENT = { clientId: "Iv1.testclient", clientSecret: "a github test client secret" };

export interface GithubStandIn {
  url: string;
  config(): Record<string, string>;
  signInAs(account: GithubAccount): void;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<URLSearchParams> {
  let text = "";
  for await (const chunk of req) text += chunk;
  return new URLSearchParams(text);
}

/**
 * A small local stand-in for GitHub's OAuth app endpoints, speaking as
 * GitHub does: `/login/oauth/authorize` (here it approves at once, as the
 * account `signInAs` chose), `/login/oauth/access_token` (JSON when asked;
 * errors come back as 200 with an `error` field, as GitHub sends them; PKCE
 * S256 checked; each code works once), and the API's `/user` and
 * `/user/emails` under `/api`. No public test instance of GitHub exists to
 * run against, so this is the one mock-like part of the identity tests.
 */
export async function startGithubStandIn(): Promise<GithubStandIn> {
  let current: GithubAccount | null = null;
  const codes = new Map<string, { account: GithubAccount; challenge: string; redirectUri: string }>();
  const tokens = new Map<string, GithubAccount>();
  const json = (status: number, value: unknown) => ({ status, text: JSON.stringify(value) });

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    let answer: { status: number; text: string; location?: string };
    if (req.method === "GET" && url.pathname === "/login/oauth/authorize") {
      const redirectUri = url.searchParams.get("redirect_uri") ?? "";
      const back = new URL(redirectUri);
      if (url.searchParams.get("client_id") !== GITHUB_TEST_CLIENT.clientId || !current) {
        back.searchParams.set("error", "access_denied");
      } else if (url.searchParams.get("code_challenge_method") !== "S256") {
        back.searchParams.set("error", "invalid_request");
      } else {
        const code = randomBytes(10).toString("hex");
        codes.set(code, { account: current, challenge: url.searchParams.get("code_challenge") ?? "", redirectUri });
        back.searchParams.set("code", code);
      }
      back.searchParams.set("state", url.searchParams.get("state") ?? "");
      answer = { status: 302, text: "", location: back.href };
    } else if (req.method === "POST" && url.pathname === "/login/oauth/access_token") {
      const form = await body(req);
      const code = form.get("code") ?? "";
      const grant = codes.get(code);
      codes.delete(code);
      const verifier = form.get("code_verifier") ?? "";
      const challenge = createHash("sha256").update(verifier).digest("base64url");
      if (form.get("client_secret") !== GITHUB_TEST_CLIENT.clientSecret) {
        answer = json(200, { error: "incorrect_client_credentials" });
      } else if (!grant || grant.challenge !== challenge || grant.redirectUri !== form.get("redirect_uri")) {
        answer = json(200, {
          error: "bad_verification_code",
          error_description: "The code passed is incorrect or expired.",
        });
      } else {
        const token = `gho_${randomBytes(16).toString("hex")}`;
        tokens.set(token, grant.account);
        answer = json(200, { access_token: token, token_type: "bearer", scope: "read:user,user:email" });
      }
    } else if (req.method === "GET" && url.pathname.startsWith("/api/user")) {
      const account = tokens.get((req.headers.authorization ?? "").replace(/^Bearer /i, ""));
      if (!account) answer = json(401, { message: "Bad credentials" });
      else if (url.pathname === "/api/user") answer = json(200, { id: account.id, login: account.login });
      else if (url.pathname === "/api/user/emails") answer = json(200, account.emails);
      else answer = json(404, { message: "Not Found" });
    } else {
      answer = json(404, { message: "Not Found" });
    }
    res.writeHead(answer.status, {
      "content-type": "application/json; charset=utf-8",
      ...(answer.location ? { location: answer.location } : {}),
    });
    res.end(answer.text);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    config: () => ({ type: "github", ...GITHUB_TEST_CLIENT, url, apiUrl: `${url}/api` }),
    signInAs(account) {
      current = account;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
