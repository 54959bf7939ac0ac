export { clearForSeed, SeedRefusedError, type TableCounts } from "./clear.ts";
export { defaultSizes, SEED_PASSWORD, type SeedSizes, seededOperators } from "./plan.ts";
export { type SeedOptions, seed } from "./seed.ts";
