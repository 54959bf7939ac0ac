import { type Executor, eq, schema } from "@inkwell/db";
import { profileColumns } from "./profiles.ts";

const c = schema.comments;

export function commentColumns(viewerId: number | null) {
  return { id: c.id, body: c.body, createdAt: c.createdAt, updatedAt: c.updatedAt, author: profileColumns(viewerId) };
}

export function selectComments(db: Executor, viewerId: number | null) {
  return db.select(commentColumns(viewerId)).from(c).innerJoin(schema.users, eq(schema.users.id, c.authorId));
}
