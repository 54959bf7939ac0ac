import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { identityProvidersVariable } from "./identity-providers.ts";

/** The repository root, so relative paths mean the same from every package. */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** "a, b,,c" → ["a", "b", "c"]: comma-separated items, trimmed, empty ones dropped. */
const commaSeparated = z.string().transform((value) =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);

const commaList = commaSeparated.pipe(
  z.array(z.url({ protocol: /^https?$/, error: "expected a comma-separated list of http(s) origins" })),
);

const positiveInt = (max: number) => z.coerce.number().int().min(1).max(max);

const durationUnits = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** "5s,1m,2h" → milliseconds; units ms, s, m, h. */
const durationList = z
  .string()
  .transform((value) => value.split(",").map((item) => item.trim()))
  .pipe(
    z
      .array(
        z.string().regex(/^\d{1,9}(ms|s|m|h)$/, { error: 'expected durations like "5s,1m,2h" (units ms, s, m, h)' }),
      )
      .min(1)
      .max(30),
  )
  .transform((items) =>
    items.map((item) => {
      const [, amount, unit] = item.match(/^(\d+)(ms|s|m|h)$/) as [string, string, keyof typeof durationUnits];
      return Number(amount) * durationUnits[unit];
    }),
  );

/** 5 s, 1 min, 5 min, 30 min, 2 h, 5 h, 8 h, 8 h: nine attempts over about 24 hours. */
const defaultWebhookRetryDelays = "5s,1m,5m,30m,2h,5h,8h,8h";

/**
 * Every environment variable the server, the worker and the `pnpm db:*`
 * scripts read, in one place. Defaults are written here and mirrored in
 * `.env.example`. The CLI reads its own (`INKWELL_API_KEY`, `INKWELL_TOKEN`,
 * `INKWELL_CONFIG_DIR`, in `apps/cli/src/config.ts`), and the
 * development tools theirs (`INKWELL_API_URL` for Vite's proxy, `CHROMIUM_PATH`
 * for the browser tests, `BENCH_DATABASE_URL` for `pnpm bench`, `FUZZ_*` for the
 * fuzz test); `.env.example` lists those too.
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: "expected a postgres:// or postgresql:// URL" }).optional(),
  DATABASE_POOL_MAX: positiveInt(1000).default(10),
  // Behind PgBouncer in transaction mode: no prepared statements, and migrations (which hold a
  // session-level advisory lock) go straight to PostgreSQL through DATABASE_DIRECT_URL.
  DATABASE_PREPARED_STATEMENTS: z
    .enum(["true", "false"], { error: 'expected "true" or "false"' })
    .default("true")
    .transform((value) => value === "true"),
  DATABASE_DIRECT_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: "expected a postgres:// or postgresql:// URL" })
    .optional(),
  INKWELL_DATA_DIR: z.string().min(1).default(".data"),
  // Streaming replicas of DATABASE_URL, comma-separated: queries read from one that has replayed the caller's
  // last write, everything else goes to the primary (decision 014, docs/scaling.md). Empty: the primary only.
  DATABASE_REPLICA_URLS: commaSeparated
    .pipe(
      z
        .array(
          z.url({ protocol: /^postgres(ql)?$/, error: "expected comma-separated postgres:// or postgresql:// URLs" }),
        )
        .max(16),
    )
    .default([]),

  // AES-256-GCM key for the secrets the server stores encrypted (TOTP keys): base64 of 32 random bytes.
  // Unset with the embedded database: one is generated beside it. Unset with DATABASE_URL: two-factor
  // enrolment is refused until it is set.
  ENCRYPTION_KEY: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9+/]{43}=?$/, { error: "expected base64 of 32 random bytes (openssl rand -base64 32)" })
    .optional(),

  INKWELL_ADMIN_EMAIL: z.email().optional(),
  INKWELL_ADMIN_PASSWORD: z.string().min(8).max(256).optional(),

  SESSION_IDLE_TIMEOUT_DAYS: positiveInt(365).default(10),
  SESSION_MAX_AGE_DAYS: positiveInt(3650).default(30),
  // Refuse breached passwords for every account (operators' are always refused). Off: RealWorld clients
  // and their test suites register with passwords such as "password123".
  PASSWORD_REJECT_BREACHED: z
    .enum(["true", "false"], { error: 'expected "true" or "false"' })
    .default("false")
    .transform((value) => value === "true"),
  // Unverified accounts may not publish articles or comment. Off: RealWorld clients have no verification step.
  REQUIRE_VERIFIED_EMAIL: z
    .enum(["true", "false"], { error: 'expected "true" or "false"' })
    .default("false")
    .transform((value) => value === "true"),
  COOKIE_SECURE: z.enum(["auto", "true", "false"]).default("auto"),
  TRUSTED_ORIGINS: commaList.default([]),
  // Browser origins allowed to call /api (RealWorld frontends); tokens travel in headers, so "*" is safe.
  CORS_ORIGINS: z
    .string()
    .default("*")
    .pipe(z.union([z.literal("*"), commaList])),
  // Requests with a larger body are refused with 413; requests running longer end with 504.
  BODY_LIMIT_BYTES: positiveInt(100 * 1024 * 1024).default(1024 * 1024),
  REQUEST_TIMEOUT_MS: positiveInt(10 * 60 * 1000).default(30_000),
  // Calls per minute per client address and per credential (session or API key), each call of a
  // tRPC batch counted; 0 turns a limit off.
  RATE_LIMIT_IP_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(600),
  RATE_LIMIT_CREDENTIAL_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(300),
  // Live streams (server-sent events) one client address may hold open on one process; 0 turns the cap off.
  LIVE_STREAMS_PER_ADDRESS: z.coerce.number().int().min(0).max(1_000_000).default(20),
  // When set, /metrics requires `Authorization: Bearer <METRICS_TOKEN>`; in production, /metrics is off without it.
  METRICS_TOKEN: z.string().min(16).optional(),

  // Background jobs (docs/background-work.md). Jobs this process runs at once; 0: none (enqueueing still
  // works, and another process, e.g. `pnpm worker`, runs them).
  WORKER_CONCURRENCY: z.coerce.number().int().min(0).max(100).default(2),
  // A worker process silent this long is presumed dead and the jobs it held are run again elsewhere.
  WORKER_HEARTBEAT_TIMEOUT_SECONDS: z.coerce.number().int().min(2).max(3600).default(30),
  // Base of the links in emails, e.g. https://inkwell.example.com; unset: the server's own URL.
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: "expected an http(s) URL" }).optional(),
  // Unset: messages are kept in the outbox (admin console, Outbox page) instead of being sent.
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: "expected an smtp:// or smtps:// URL" }).optional(),
  SMTP_FROM: z
    .string()
    .trim()
    .max(320)
    .regex(/^[^\r\n]+@[^\r\n]+$/, { error: 'expected an address, e.g. "Inkwell <inkwell@example.com>"' })
    .default("Inkwell <inkwell@localhost>"),
  // Sent and kept emails are deleted this many days after delivery.
  EMAIL_RETENTION_DAYS: positiveInt(3650).default(30),
  // Audit events older than this many days are deleted; unset: kept forever.
  AUDIT_RETENTION_DAYS: positiveInt(36500).optional(),

  // Webhooks (docs/background-work.md). Hosts or addresses that deliveries may reach although they are private,
  // loopback or link-local (SSRF policy), comma-separated, e.g. "127.0.0.1,hooks.internal".
  WEBHOOK_ALLOWED_HOSTS: commaSeparated
    .transform((items) => items.map((item) => item.toLowerCase()))
    .pipe(
      z.array(
        z
          .string()
          .max(253)
          .regex(/^[a-z0-9.:_[\]-]+$/, { error: "expected host names or IP addresses" }),
      ),
    )
    .default([]),
  // One delivery attempt, redirects included, gives up after this long.
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  // Waits between attempts, before jitter (±20%): after the last, a delivery is dead. About a day by default.
  WEBHOOK_RETRY_DELAYS: durationList.prefault(defaultWebhookRetryDelays),
  // An endpoint whose deliveries died this many times in a row is disabled; 0: never.
  WEBHOOK_DISABLE_AFTER_DEAD: z.coerce.number().int().min(0).max(10_000).default(5),
  // Succeeded and dead deliveries (with their attempts) are deleted this many days after they finished.
  WEBHOOK_RETENTION_DAYS: positiveInt(3650).default(30),
  // Identity providers shown as "Sign in with …" buttons: a JSON array of
  // {"type":"oidc","id","name","issuer","clientId","clientSecret"} and {"type":"github","clientId","clientSecret"}
  // (README, "Identity providers"). Unset: password and passkey sign-in only.
  OAUTH_PROVIDERS: identityProvidersVariable.default([]),

  // Reverse proxies in front of the server whose X-Forwarded-For / -Proto / -Host entries count, read from the
  // right: "false" (none, the default), "true" (one) or a number of hops.
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|\d{1,2})$/, { error: 'expected "true", "false" or a number of proxies (0-99)' })
    .default("false")
    .transform((value) => (value === "true" ? 1 : value === "false" ? 0 : Number(value))),
});

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Reads `.env` at the repository root into `process.env` when present; real variables win. */
export function loadDotEnv(path = `${repoRoot}.env`): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/** Parses variables; empty strings count as unset so `.env` lines like `DATABASE_URL=` work. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ""));
  const result = envSchema.safeParse(present);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "environment");
      const got = present[name];
      const shown =
        got === undefined
          ? "unset"
          : /PASSWORD|SECRET|TOKEN|KEY|DATABASE_(DIRECT_|REPLICA_)?URLS?|SMTP_URL|OAUTH_PROVIDERS/.test(name)
            ? "got a hidden value"
            : `got "${got}"`;
      return `${name}: ${issue.message} (${shown})`;
    }),
  );
}
