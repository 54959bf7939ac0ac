import { expect } from "vitest";

/**
 * The few REST (RealWorld) calls tests use to cause background work the way
 * any client does: register, publish, comment.
 */
async function call<T>(url: string, method: string, path: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(`${url}/api${path}`, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Token ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  expect(response.status, text).toBeLessThan(300);
  return JSON.parse(text) as T;
}

export interface Writer {
  username: string;
  email: string;
  token: string;
}

export async function register(url: string, username: string): Promise<Writer> {
  const email = `${username}@example.com`;
  const { user } = await call<{ user: { token: string } }>(url, "POST", "/users", {
    user: { username, email, password: "a long enough password" },
  });
  return { username, email, token: user.token };
}

export async function publish(url: string, writer: Writer, title: string): Promise<string> {
  const { article } = await call<{ article: { slug: string } }>(
    url,
    "POST",
    "/articles",
    { article: { title, description: "d", body: "b", tagList: [] } },
    writer.token,
  );
  return article.slug;
}

export async function comment(url: string, writer: Writer, slug: string, body: string): Promise<number> {
  const result = await call<{ comment: { id: number } }>(
    url,
    "POST",
    `/articles/${slug}/comments`,
    { comment: { body } },
    writer.token,
  );
  return result.comment.id;
}

/** A tRPC call over HTTP (superjson envelope): the status, and the result's data or the error's message. */
export async function trpc(
  url: string,
  path: string,
  options: { input?: unknown; token?: string; mutation?: boolean } = {},
): Promise<{ status: number; data: unknown; error: string | undefined }> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const query =
    options.input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: options.input }))}`;
  const response = options.mutation
    ? await fetch(`${url}/trpc/${path}`, { method: "POST", headers, body: JSON.stringify({ json: options.input }) })
    : await fetch(`${url}/trpc/${path}${query}`, { headers });
  const body = (await response.json()) as {
    result?: { data: { json: unknown } };
    error?: { json: { message: string } };
  };
  return { status: response.status, data: body.result?.data.json, error: body.error?.json.message };
}

export async function signInToken(url: string, email: string, password: string): Promise<string> {
  const { status, data } = await trpc(url, "auth.signIn", {
    mutation: true,
    input: { email, password, session: "token" },
  });
  expect(status).toBe(200);
  return (data as { token: string }).token;
}
