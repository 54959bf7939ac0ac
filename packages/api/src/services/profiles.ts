import { type Executor, schema, sql } from "@inkwell/db";

/** A user as others see them, with whether the viewer follows them. */
export function profileColumns(viewerId: number | null) {
  const u = schema.users;
  return {
    username: u.username,
    bio: u.bio,
    image: u.image,
    following:
      viewerId === null
        ? sql<boolean>`false`
        : sql<boolean>`exists (select 1 from ${schema.follows} where ${schema.follows.followerId} = ${viewerId} and ${schema.follows.followingId} = ${u.id})`,
  };
}

/** Exact-but-case-insensitive username lookup, served by the unique index on lower(username). */
export const usernameMatches = (username: string) => sql`lower(${schema.users.username}) = lower(${username})`;

export async function findProfile(db: Executor, username: string, viewerId: number | null) {
  const [row] = await db
    .select({ id: schema.users.id, ...profileColumns(viewerId) })
    .from(schema.users)
    .where(usernameMatches(username))
    .limit(1);
  return row ?? null;
}

export async function userIdByUsername(db: Executor, username: string): Promise<number | null> {
  const [row] = await db.select({ id: schema.users.id }).from(schema.users).where(usernameMatches(username)).limit(1);
  return row?.id ?? null;
}
