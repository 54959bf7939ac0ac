export { defaultSizes, SEED_PASSWORD, type SeedSizes, seededOperators } from "./plan.ts";
export { type SeedOptions, SeedRefusedError, seed } from "./seed.ts";
