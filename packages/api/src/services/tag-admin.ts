import { type Database, type Executor, eq, inArray, schema, sql } from "@inkwell/db";
import { Invalid, NotFound } from "../errors.ts";

const { tags, articleTags } = schema;

const tagColumns = { id: tags.id, name: tags.name };

function noSuchTag() {
  return new NotFound("tag", "No such tag; it may have been deleted or merged.");
}

export async function renameTag(db: Executor, id: number, name: string) {
  // A taken name fails on `tags_name_key`, which `domainErrorFromDatabase` reports as a Conflict on `name`.
  const [tag] = await db.update(tags).set({ name }).where(eq(tags.id, id)).returning(tagColumns);
  if (!tag) throw noSuchTag();
  return tag;
}

/**
 * Folds the source tags into the target in one transaction: every article
 * carrying a source tag ends up carrying the target once, and the sources
 * are deleted. `articlesRetagged` counts the articles that gained the target.
 */
export async function mergeTags(db: Database, input: { sourceIds: number[]; targetId: number }) {
  const sourceIds = [...new Set(input.sourceIds)];
  if (sourceIds.includes(input.targetId)) {
    throw new Invalid("A tag cannot be merged into itself; remove the target from the sources.", "sourceIds");
  }
  return db.transaction(async (tx) => {
    // Locked so a concurrent rename, merge or delete cannot change them underneath.
    const found = await tx
      .select(tagColumns)
      .from(tags)
      .where(inArray(tags.id, [input.targetId, ...sourceIds]))
      .for("update");
    const target = found.find((tag) => tag.id === input.targetId);
    if (!target) throw new NotFound("tag", "The target tag does not exist.", "targetId");
    const sources = found.filter((tag) => tag.id !== input.targetId);
    const missing = sourceIds.filter((id) => !sources.some((tag) => tag.id === id));
    if (missing.length > 0) {
      throw new NotFound("tag", `These tags do not exist: ${missing.join(", ")}.`, "sourceIds");
    }

    const retagged = await tx
      .insert(articleTags)
      .select(
        tx
          .selectDistinct({ articleId: articleTags.articleId, tagId: sql<number>`${target.id}::int`.as("tag_id") })
          .from(articleTags)
          .where(inArray(articleTags.tagId, sourceIds)),
      )
      .onConflictDoNothing()
      .returning({ articleId: articleTags.articleId });
    // The sources' links go with them (ON DELETE CASCADE).
    await tx.delete(tags).where(inArray(tags.id, sourceIds));
    return { target, sources, merged: sources.length, articlesRetagged: retagged.length };
  });
}

/** Deletes a tag; the articles carrying it simply lose it. */
export async function deleteTag(db: Executor, id: number) {
  // RETURNING sees the links as they were before the cascade removed them.
  const [deleted] = await db
    .delete(tags)
    .where(eq(tags.id, id))
    .returning({
      ...tagColumns,
      articlesUntagged: sql<number>`(select count(*) from ${articleTags} where ${articleTags.tagId} = ${tags.id})::int`,
    });
  if (!deleted) throw noSuchTag();
  const { articlesUntagged, ...tag } = deleted;
  return { deleted: tag, articlesUntagged };
}
