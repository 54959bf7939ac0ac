export interface SeedSizes {
  users: number;
  articles: number;
  comments: number;
  favorites: number;
  follows: number;
  tags: number;
  /** Tags per article, on average. */
  tagsPerArticle: number;
}

export const defaultSizes: SeedSizes = {
  users: 100,
  articles: 1_000,
  comments: 3_000,
  favorites: 5_000,
  follows: 500,
  tags: 50,
  tagsPerArticle: 3,
};

/** Every seeded account signs in with this password. */
export const SEED_PASSWORD = "inkwell-seed-password";

/** The first seeded accounts are operators, so the admin console has someone to sign in as. */
export const seededOperators = [
  { username: "admin", email: "admin@example.com", role: "admin" },
  { username: "moderator", email: "moderator@example.com", role: "moderator" },
] as const;
