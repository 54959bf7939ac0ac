import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "./env.ts";

describe("parseEnv", () => {
  it("fills every default when nothing is set", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env).toMatchObject({
      NODE_ENV: "development",
      PORT: 3000,
      DATABASE_POOL_MAX: 10,
      SESSION_IDLE_TIMEOUT_DAYS: 10,
      SESSION_MAX_AGE_DAYS: 30,
      TRUSTED_ORIGINS: [],
    });
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", PORT: "" }).PORT).toBe(3000);
  });

  it("parses lists and numbers", () => {
    const env = parseEnv({
      PORT: "8080",
      DATABASE_URL: "postgres://u:p@db:5432/inkwell",
      TRUSTED_ORIGINS: "https://admin.example.com, https://app.example.com",
    });
    expect(env.PORT).toBe(8080);
    expect(env.TRUSTED_ORIGINS).toEqual(["https://admin.example.com", "https://app.example.com"]);
  });

  it("names each bad variable and what it expects, hiding secrets", () => {
    let caught: unknown;
    try {
      parseEnv({ PORT: "abc", DATABASE_URL: "mysql://user:hunter2@x/y", INKWELL_ADMIN_PASSWORD: "short" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems;
    expect(problems).toHaveLength(3);
    expect(problems.find((line) => line.startsWith("PORT:"))).toMatch(/number.*got "abc"/);
    expect(problems.find((line) => line.startsWith("DATABASE_URL:"))).toMatch(/postgres:\/\//);
    expect(problems.join("\n")).not.toContain("hunter2");
    expect(problems.join("\n")).not.toContain("short");
  });

  it("reads DATABASE_REPLICA_URLS as a list of postgres URLs (none by default) and never prints a bad one", () => {
    expect(parseEnv({}).DATABASE_REPLICA_URLS).toEqual([]);
    expect(parseEnv({ DATABASE_REPLICA_URLS: " , " }).DATABASE_REPLICA_URLS).toEqual([]);
    expect(
      parseEnv({ DATABASE_REPLICA_URLS: "postgres://u:p@replica-1/inkwell, postgresql://u:p@replica-2:5433/inkwell" })
        .DATABASE_REPLICA_URLS,
    ).toEqual(["postgres://u:p@replica-1/inkwell", "postgresql://u:p@replica-2:5433/inkwell"]);
    let caught: unknown;
    try {
      parseEnv({ DATABASE_REPLICA_URLS: "postgres://u:p@replica-1/inkwell,mysql://u:hunter2@replica-2/inkwell" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const [problem] = (caught as ConfigError).problems;
    expect(problem).toMatch(/^DATABASE_REPLICA_URLS: expected comma-separated postgres:\/\/ .*\(got a hidden value\)$/);
    expect(problem).not.toContain("hunter2");
  });

  it("takes ENCRYPTION_KEY as base64 of 32 bytes, and never prints a bad one", () => {
    const key = Buffer.alloc(32, 7).toString("base64");
    expect(parseEnv({ ENCRYPTION_KEY: key }).ENCRYPTION_KEY).toBe(key);
    expect(parseEnv({}).ENCRYPTION_KEY).toBeUndefined();
    for (const bad of [
      Buffer.alloc(16, 7).toString("base64"),
      `${key}x`,
      "correct-horse-battery-staple-0123456789abcdef",
    ]) {
      let caught: unknown;
      try {
        parseEnv({ ENCRYPTION_KEY: bad });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ConfigError);
      const [line] = (caught as ConfigError).problems;
      expect(line).toBe(
        "ENCRYPTION_KEY: expected base64 of 32 random bytes (openssl rand -base64 32) (got a hidden value)",
      );
    }
  });

  it("reads TRUST_PROXY as a number of trusted proxies: false is none, true is one", () => {
    expect(parseEnv({}).TRUST_PROXY).toBe(0);
    expect(parseEnv({ TRUST_PROXY: "false" }).TRUST_PROXY).toBe(0);
    expect(parseEnv({ TRUST_PROXY: "true" }).TRUST_PROXY).toBe(1);
    expect(parseEnv({ TRUST_PROXY: "2" }).TRUST_PROXY).toBe(2);
    for (const bad of ["yes", "-1", "1.5", "100", "2 "]) {
      expect(() => parseEnv({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY: expected "true", "false" or a number/);
    }
  });

  it("caps live streams per address at 20 by default; 0 turns the cap off", () => {
    expect(parseEnv({}).LIVE_STREAMS_PER_ADDRESS).toBe(20);
    expect(parseEnv({ LIVE_STREAMS_PER_ADDRESS: "0" }).LIVE_STREAMS_PER_ADDRESS).toBe(0);
    expect(() => parseEnv({ LIVE_STREAMS_PER_ADDRESS: "-1" })).toThrow(/LIVE_STREAMS_PER_ADDRESS/);
  });

  it("reads the background-work settings: workers on by default, 0 turns them off; retention of audit events unset", () => {
    expect(parseEnv({})).toMatchObject({
      WORKER_CONCURRENCY: 2,
      WORKER_HEARTBEAT_TIMEOUT_SECONDS: 30,
      EMAIL_RETENTION_DAYS: 30,
      SMTP_FROM: "Inkwell <inkwell@localhost>",
    });
    expect(parseEnv({}).AUDIT_RETENTION_DAYS).toBeUndefined();
    expect(parseEnv({}).SMTP_URL).toBeUndefined();
    expect(parseEnv({}).PUBLIC_URL).toBeUndefined();
    expect(parseEnv({ WORKER_CONCURRENCY: "0", AUDIT_RETENTION_DAYS: "365" })).toMatchObject({
      WORKER_CONCURRENCY: 0,
      AUDIT_RETENTION_DAYS: 365,
    });
    for (const [name, bad] of [
      ["WORKER_CONCURRENCY", "-1"],
      ["WORKER_CONCURRENCY", "101"],
      ["WORKER_HEARTBEAT_TIMEOUT_SECONDS", "1"],
      ["AUDIT_RETENTION_DAYS", "0"],
      ["EMAIL_RETENTION_DAYS", "1.5"],
      ["PUBLIC_URL", "javascript:alert(1)"],
      ["SMTP_URL", "http://mail.example.com"],
    ] as const) {
      expect(() => parseEnv({ [name]: bad }), `${name}=${bad}`).toThrow(
        new RegExp(`^Invalid configuration:\n${name}:`),
      );
    }
  });

  it("reads the webhook settings: no private host allowed, a day of retries, disabled after 5 dead deliveries", () => {
    expect(parseEnv({})).toMatchObject({
      WEBHOOK_ALLOWED_HOSTS: [],
      WEBHOOK_TIMEOUT_MS: 10_000,
      WEBHOOK_RETRY_DELAYS: [5_000, 60_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 28_800_000, 28_800_000],
      WEBHOOK_DISABLE_AFTER_DEAD: 5,
      WEBHOOK_RETENTION_DAYS: 30,
    });
    expect(
      parseEnv({
        WEBHOOK_ALLOWED_HOSTS: " 127.0.0.1, Hooks.Internal ,,::1",
        WEBHOOK_RETRY_DELAYS: "100ms, 2s,1m,1h",
      }),
    ).toMatchObject({
      WEBHOOK_ALLOWED_HOSTS: ["127.0.0.1", "hooks.internal", "::1"],
      WEBHOOK_RETRY_DELAYS: [100, 2_000, 60_000, 3_600_000],
    });
    for (const [name, bad] of [
      ["WEBHOOK_ALLOWED_HOSTS", "http://example.com/"],
      ["WEBHOOK_TIMEOUT_MS", "50"],
      ["WEBHOOK_RETRY_DELAYS", "5"],
      ["WEBHOOK_RETRY_DELAYS", "5s,,1m"],
      ["WEBHOOK_RETRY_DELAYS", "1d"],
      ["WEBHOOK_DISABLE_AFTER_DEAD", "-1"],
      ["WEBHOOK_RETENTION_DAYS", "0"],
    ] as const) {
      expect(() => parseEnv({ [name]: bad }), `${name}=${bad}`).toThrow(
        new RegExp(`^Invalid configuration:\n${name}:`),
      );
    }
  });

  it("refuses a sender that would start a new header, and hides the SMTP password", () => {
    expect(() => parseEnv({ SMTP_FROM: "Inkwell <a@example.com>\r\nBcc: victim@example.com" })).toThrow(/SMTP_FROM/);
    expect(() => parseEnv({ SMTP_FROM: "nobody" })).toThrow(/SMTP_FROM: expected an address/);
    let problems: string[] = [];
    try {
      parseEnv({ SMTP_URL: "ftp://mailer:s3cret@mail.example.com" });
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    expect(problems).toEqual([
      expect.stringMatching(/^SMTP_URL: expected an smtp:\/\/ or smtps:\/\/ URL \(got a hidden value\)$/),
    ]);
  });

  it("reads OAUTH_PROVIDERS as a JSON list of OpenID Connect and GitHub providers, with GitHub's defaults", () => {
    expect(parseEnv({}).OAUTH_PROVIDERS).toEqual([]);
    const providers = parseEnv({
      OAUTH_PROVIDERS: JSON.stringify([
        {
          type: "oidc",
          id: "corp",
          name: "Corp SSO",
          issuer: "https://sso.example.com",
          clientId: "a",
          clientSecret: "b",
        },
        { type: "github", clientId: "c", clientSecret: "d" },
      ]),
    }).OAUTH_PROVIDERS;
    expect(providers).toEqual([
      {
        type: "oidc",
        id: "corp",
        name: "Corp SSO",
        issuer: "https://sso.example.com",
        clientId: "a",
        clientSecret: "b",
      },
      {
        type: "github",
        id: "github",
        name: "GitHub",
        clientId: "c",
        clientSecret: "d",
        url: "https://github.com",
        apiUrl: "https://api.github.com",
      },
    ]);
  });

  it("refuses bad OAUTH_PROVIDERS and never prints them (they hold client secrets)", () => {
    const github = { type: "github", clientId: "c", clientSecret: "s3cret" };
    for (const bad of [
      "not json",
      "{}",
      JSON.stringify([github, github]),
      JSON.stringify([{ ...github, id: "Git Hub" }]),
      JSON.stringify([{ type: "oidc", id: "x", name: "X", issuer: "ftp://x", clientId: "a", clientSecret: "s3cret" }]),
      JSON.stringify([{ type: "saml", id: "x" }]),
      JSON.stringify([{ ...github, extra: true }]),
    ]) {
      let problems: string[] = [];
      try {
        parseEnv({ OAUTH_PROVIDERS: bad });
      } catch (error) {
        problems = (error as ConfigError).problems;
      }
      expect(problems, bad).toEqual([expect.stringMatching(/^OAUTH_PROVIDERS: .+ \(got a hidden value\)$/)]);
    }
  });
});
