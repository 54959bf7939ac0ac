import { OWASP_MINIMUM, TEST_PASSWORD_POLICY } from "@inkwell/auth";
import { parseEnv } from "@inkwell/config";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.ts";
import { authSettingsFromEnv, startServer } from "./server.ts";

// Tests hash passwords with TEST_PASSWORD_POLICY (startTestServer, the router's harness). What
// production gets is proven here, and by the server processes of processes.test.ts, which store
// OWASP-cost hashes.
const production = parseEnv({ NODE_ENV: "production", DATABASE_URL: "postgres://inkwell@127.0.0.1:1/none", PORT: "0" });

describe("the password policy in production", () => {
  it("is OWASP's minimum for argon2id, whatever the environment says", () => {
    expect(authSettingsFromEnv(production).passwordPolicy).toEqual(OWASP_MINIMUM);
    expect(OWASP_MINIMUM).toEqual({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  });

  it("refuses the tests' cheaper policy: the server does not start, before it touches the database", async () => {
    const logger = createLogger({ level: "silent", pretty: false });
    await expect(
      startServer(production, logger, { authSettings: { passwordPolicy: TEST_PASSWORD_POLICY } }),
    ).rejects.toThrow(
      "password hashing below OWASP's minimum (a policy for tests) is refused when NODE_ENV=production",
    );
  });
});
