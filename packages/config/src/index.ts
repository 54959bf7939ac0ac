export { ConfigError, type Env, envSchema, loadDotEnv, parseEnv, repoRoot } from "./env.ts";
