export { ConfigError, type Env, envSchema, loadDotEnv, parseEnv, repoRoot } from "./env.ts";
export { type IdentityProviderConfig, identityProviderConfig } from "./identity-providers.ts";
