import { randomUUID } from "node:crypto";
import { generateEncryptionKey, hashPassword, type Role, TEST_PASSWORD_POLICY } from "@inkwell/auth";
import { connect, schema } from "@inkwell/db";
import { createTestDatabase, type TestDatabase } from "@inkwell/db/testing";
import { type AuthSettings, defaultAuthSettings } from "../auth/settings.ts";
import { type ApiDeps, createContext } from "../context.ts";
import { createLinkBuilder } from "../email/links.ts";
import { startLiveEvents } from "../realtime/live-events.ts";
import { appRouter } from "../root.ts";
import { createCallerFactory } from "../trpc.ts";

const createCaller = createCallerFactory(appRouter);

export const TEST_ORIGIN = "http://inkwell.test";
export const DEFAULT_PASSWORD = "correct horse battery staple";

export interface CallOptions {
  /** Sent as `Authorization: Bearer …` (a session token or an API key). */
  bearer?: string;
  /** Sent as the session cookie. */
  cookie?: string;
  headers?: Record<string, string>;
  ip?: string | null;
  userAgent?: string;
  /** Ends subscriptions opened through this caller, as a client disconnecting does. */
  signal?: AbortSignal;
}

/**
 * A real router on a real database of its own, called through
 * `createCaller` with a context built exactly as the server builds it, with
 * an encryption key of its own (`encryptionKey: null` for a server without one). Passwords are
 * hashed with TEST_PASSWORD_POLICY unless `settings.passwordPolicy` says otherwise (tests of the
 * production policy pass OWASP_MINIMUM).
 */
export async function createHarness(
  settings: Partial<AuthSettings> = {},
  options: { encryptionKey?: Uint8Array | null } = {},
) {
  const statements: string[] = [];
  const database: TestDatabase = await createTestDatabase({
    onQuery: (statement) => {
      // postgres.js reads pg_catalog's array types once per new connection: the driver's, not a procedure's.
      if (!statement.includes("pg_catalog")) statements.push(statement);
    },
  });
  // Its own connection, so the feed's queries stay out of `recordQueries`.
  const liveConnection = connect({ url: database.url, maxConnections: 1 });
  const live = await startLiveEvents({
    listenSql: liveConnection.sql,
    db: liveConnection.db,
    onError: (error, what) => console.error(`live events: ${what}`, error),
  });
  const counters = connect({ url: database.url, maxConnections: 2 });
  const deps: ApiDeps = {
    db: database.db,
    sql: database.sql,
    version: "0.0.0-test",
    authSettings: { ...defaultAuthSettings, passwordPolicy: TEST_PASSWORD_POLICY, ...settings },
    counters: counters.db,
    encryptionKey: options.encryptionKey === undefined ? generateEncryptionKey() : options.encryptionKey,
    logger: console,
    links: createLinkBuilder(() => TEST_ORIGIN),
    events: live.hub,
  };

  /** A caller for one request, and the headers the response would carry. */
  async function request(options: CallOptions = {}) {
    const headers = new Headers(options.headers);
    if (options.bearer) headers.set("authorization", `Bearer ${options.bearer}`);
    if (options.cookie) headers.set("cookie", `inkwell_session=${options.cookie}`);
    const resHeaders = new Headers();
    const ctx = await createContext({
      deps,
      meta: {
        requestId: randomUUID(),
        ip: options.ip === undefined ? "192.0.2.1" : options.ip,
        userAgent: options.userAgent ?? "vitest",
        headers,
        origin: TEST_ORIGIN,
        secure: false,
        usesCookies: true,
      },
      resHeaders,
    });
    return { call: createCaller(ctx, { signal: options.signal }), resHeaders };
  }

  async function as(options: CallOptions = {}) {
    return (await request(options)).call;
  }

  let counter = 0;
  async function createUser(
    fields: { role?: Role; status?: "active" | "suspended"; password?: string; email?: string; username?: string } = {},
  ) {
    counter++;
    const username = fields.username ?? `user${counter}_${randomUUID().slice(0, 6)}`;
    const [user] = await database.db
      .insert(schema.users)
      .values({
        username,
        email: fields.email ?? `${username}@example.com`,
        passwordHash: await hashPassword(fields.password ?? DEFAULT_PASSWORD, deps.authSettings.passwordPolicy),
        role: fields.role ?? "user",
        status: fields.status ?? "active",
      })
      .returning();
    if (!user) throw new Error("no user");
    return user;
  }

  /** Signs in through the real procedure and returns the bearer token. */
  async function signIn(email: string, password = DEFAULT_PASSWORD, ip?: string) {
    const result = await (await as({ ip })).auth.signIn({ email, password, session: "token" });
    if (!result.token) throw new Error("no token");
    return result.token;
  }

  /** A user of `role` and a bearer token for them. */
  async function signedIn(role: Role = "user") {
    const user = await createUser({ role });
    return { user, token: await signIn(user.email) };
  }

  /** Runs `work` and returns its result with the SQL statements it sent. */
  async function recordQueries<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
    const start = statements.length;
    const result = await work();
    return { result, statements: statements.slice(start) };
  }

  async function close() {
    await live.close();
    await liveConnection.close();
    await counters.close();
    await database.drop();
  }

  return { database, deps, request, as, recordQueries, createUser, signIn, signedIn, close };
}

export type Harness = Awaited<ReturnType<typeof createHarness>>;
