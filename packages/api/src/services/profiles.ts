import { and, type Executor, eq, type Placeholder, schema, sql } from "@inkwell/db";
import { Invalid, NotFound } from "../errors.ts";
import { preparedPerDatabase, runPrepared } from "./prepared.ts";

/** Who is looking: a user id, null when anonymous, or the placeholder of a prepared statement. */
export type ViewerId = number | null | Placeholder<"viewerId">;

/** A user as others see them, with whether the viewer follows them. */
export function profileColumns(viewerId: ViewerId) {
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
export const usernameMatches = (username: string | Placeholder<"username">) =>
  sql`lower(${schema.users.username}) = lower(${username})`;

const profileWhere = (db: Executor, username: string | Placeholder<"username">, viewerId: ViewerId) =>
  db
    .select({ id: schema.users.id, ...profileColumns(viewerId) })
    .from(schema.users)
    .where(usernameMatches(username))
    .limit(1);

// A hot read of one fixed shape (the profile page, REST `GET /api/profiles/:username`): named prepared statements.
const usernameParameter: Placeholder<"username"> = sql.placeholder("username");
const byUsername = {
  anonymous: preparedPerDatabase((db) => profileWhere(db, usernameParameter, null).prepare("profile_by_username")),
  viewer: preparedPerDatabase((db) =>
    profileWhere(db, usernameParameter, sql.placeholder("viewerId")).prepare("profile_by_username_as_viewer"),
  ),
};

/** The user named `username` as `viewerId` (null: anonymous) sees them, with their id; NotFound if none. */
export async function profileByUsername(db: Executor, username: string, viewerId: number | null) {
  const prepared = (viewerId === null ? byUsername.anonymous : byUsername.viewer)(db);
  const [row] = prepared
    ? await prepared.execute({ username, viewerId })
    : await runPrepared(profileWhere(db, username, viewerId), "profile_by_username");
  if (!row) throw new NotFound("profile", `No user named "${username}".`);
  return row;
}

/** `followerId` follows `followingId` from now on; following again changes nothing. */
export async function follow(db: Executor, followerId: number, followingId: number): Promise<void> {
  if (followerId === followingId) throw new Invalid("You cannot follow yourself.");
  await db.insert(schema.follows).values({ followerId, followingId }).onConflictDoNothing();
}

/** `followerId` no longer follows `followingId`, whether they did or not. */
export async function unfollow(db: Executor, followerId: number, followingId: number): Promise<void> {
  const { follows } = schema;
  await db.delete(follows).where(and(eq(follows.followerId, followerId), eq(follows.followingId, followingId)));
}
