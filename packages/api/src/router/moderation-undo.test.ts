import { desc, eq, inArray, schema } from "@inkwell/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, type Harness } from "../testing/harness.ts";

let h: Harness;
let moderator: Awaited<ReturnType<Harness["signedIn"]>>;
let asModerator: Awaited<ReturnType<Harness["as"]>>;
let otherModerator: Awaited<ReturnType<Harness["signedIn"]>>;
let asOther: Awaited<ReturnType<Harness["as"]>>;
beforeAll(async () => {
  h = await createHarness();
  moderator = await h.signedIn("moderator");
  asModerator = await h.as({ bearer: moderator.token });
  otherModerator = await h.signedIn("moderator");
  asOther = await h.as({ bearer: otherModerator.token });
});
afterAll(() => h.close());

let counter = 0;
async function insertArticles(count: number, fields: Partial<schema.NewArticle> = {}) {
  const author = await h.createUser();
  return h.database.db
    .insert(schema.articles)
    .values(
      Array.from({ length: count }, () => {
        counter++;
        return { slug: `undo-${counter}`, title: `Undo ${counter}`, description: "d", body: "b", authorId: author.id };
      }).map((row) => ({ ...row, ...fields })),
    )
    .returning();
}

async function articleStates(ids: number[]) {
  const rows = await h.database.db
    .select()
    .from(schema.articles)
    .where(inArray(schema.articles.id, ids))
    .orderBy(schema.articles.id);
  return rows.map((row) => ({
    id: row.id,
    moderation: row.moderation,
    by: row.moderatedById,
    reason: row.moderationReason,
    action: row.moderationActionId,
  }));
}

describe("a reason for hiding", () => {
  it("is kept on what was hidden, shown with who hid it and when, and cleared by a restore", async () => {
    const [article] = await insertArticles(1);
    if (!article) throw new Error("no article");
    const [comment] = await h.database.db
      .insert(schema.comments)
      .values({ articleId: article.id, authorId: article.authorId, body: "spam spam" })
      .returning();
    if (!comment) throw new Error("no comment");

    await asModerator.moderation.articles.hide({ ids: [article.id], reason: "  Spam: links to a pill shop  " });
    await asModerator.moderation.comments.hide({ ids: [comment.id], reason: "Off-topic" });

    const [listed] = (await asModerator.moderation.articles.list({ authorId: article.authorId })).articles;
    expect(listed).toMatchObject({
      moderation: "hidden",
      moderatedBy: { id: moderator.user.id, username: moderator.user.username },
      moderationReason: "Spam: links to a pill shop",
    });
    expect(listed?.moderatedAt).toBeInstanceOf(Date);
    const [listedComment] = (await asModerator.moderation.comments.list({ articleId: article.id })).comments;
    expect(listedComment).toMatchObject({
      moderatedBy: { id: moderator.user.id, username: moderator.user.username },
      moderationReason: "Off-topic",
    });

    await asOther.moderation.articles.restore({ ids: [article.id] });
    const [restored] = (await asModerator.moderation.articles.list({ authorId: article.authorId })).articles;
    expect(restored).toMatchObject({
      moderation: "visible",
      moderatedBy: { id: otherModerator.user.id, username: otherModerator.user.username },
      moderationReason: null,
    });
    expect((await articleStates([article.id]))[0]?.action).toBeNull();
  });

  it("is optional: blank means none", async () => {
    const [article] = await insertArticles(1);
    if (!article) throw new Error("no article");
    await asModerator.moderation.articles.hide({ ids: [article.id], reason: " \t " });
    expect(await articleStates([article.id])).toMatchObject([{ moderation: "hidden", reason: null }]);
  });

  it("refuses a reason over 500 characters, a huge one and one with a NUL byte, changing nothing", async () => {
    const [article] = await insertArticles(1);
    if (!article) throw new Error("no article");

    const long = await expectTRPCError(
      asModerator.moderation.articles.hide({ ids: [article.id], reason: "x".repeat(501) }),
      "BAD_REQUEST",
    );
    expect(long.message).toContain("Keep the reason to 500 characters or fewer.");
    await expectTRPCError(
      asModerator.moderation.articles.hide({ ids: [article.id], reason: "y".repeat(1_000_000) }),
      "BAD_REQUEST",
    );
    await expectTRPCError(
      asModerator.moderation.articles.hide({ ids: [article.id], reason: "spam\u0000" }),
      "BAD_REQUEST",
    );
    await expectTRPCError(
      asModerator.moderation.comments.hideMatching({ filter: { authorId: article.authorId }, reason: "z".repeat(501) }),
      "BAD_REQUEST",
    );

    expect(await articleStates([article.id])).toMatchObject([{ moderation: "visible", reason: null, action: null }]);
    expect(
      (await asModerator.moderation.articles.hide({ ids: [article.id], reason: "x".repeat(500) })).affected,
    ).toEqual([article.id]);
  });
});

describe("undoHide", () => {
  it("shows again exactly what that hide hid: not what was hidden before, nor what another action hid since", async () => {
    const [hiddenBefore, a, b, c] = await insertArticles(4);
    if (!hiddenBefore || !a || !b || !c) throw new Error("no articles");
    const earlier = await asModerator.moderation.articles.hide({ ids: [hiddenBefore.id], reason: "earlier" });

    const hide = await asModerator.moderation.articles.hide({
      ids: [hiddenBefore.id, a.id, b.id, c.id],
      reason: "bulk",
    });
    expect(hide.affected).toEqual([a.id, b.id, c.id]);
    expect(hide.actionId).toMatch(/^[0-9a-f-]{36}$/);
    // Since then: another moderator restored b and hid it again (a new action of theirs); c was deleted.
    await asOther.moderation.articles.restore({ ids: [b.id] });
    const rehide = await asOther.moderation.articles.hide({ ids: [b.id], reason: "still spam" });
    await asModerator.moderation.articles.delete({ ids: [c.id] });

    const undone = await asModerator.moderation.articles.undoHide({ actionId: hide.actionId ?? "" });

    expect(undone).toEqual({ affected: [a.id] });
    expect(await articleStates([hiddenBefore.id, a.id, b.id])).toEqual([
      { id: hiddenBefore.id, moderation: "hidden", by: moderator.user.id, reason: "earlier", action: earlier.actionId },
      { id: a.id, moderation: "visible", by: moderator.user.id, reason: null, action: null },
      { id: b.id, moderation: "hidden", by: otherModerator.user.id, reason: "still spam", action: rehide.actionId },
    ]);
  });

  it("works once: a second undo is NOT_FOUND and changes nothing", async () => {
    const articles = await insertArticles(2);
    const ids = articles.map((article) => article.id);
    const { actionId } = await asModerator.moderation.articles.hide({ ids });
    if (!actionId) throw new Error("no action");

    expect(await asModerator.moderation.articles.undoHide({ actionId })).toEqual({ affected: ids });
    const again = await expectTRPCError(asModerator.moderation.articles.undoHide({ actionId }), "NOT_FOUND");
    expect(again.message).toBe("Nothing to undo: those articles were shown again, hidden again or deleted since.");
  });

  it("refuses to undo someone else's hide, and keeps what it hid hidden", async () => {
    const [article] = await insertArticles(1);
    if (!article) throw new Error("no article");
    const { actionId } = await asModerator.moderation.articles.hide({ ids: [article.id], reason: "mine" });
    if (!actionId) throw new Error("no action");

    const refused = await expectTRPCError(asOther.moderation.articles.undoHide({ actionId }), "FORBIDDEN");
    expect(refused.message).toBe("Only the moderator who hid these can undo it; restore them instead.");
    expect(await articleStates([article.id])).toMatchObject([{ moderation: "hidden", by: moderator.user.id }]);
    const [event] = await h.database.db
      .select()
      .from(schema.auditEvents)
      .where(eq(schema.auditEvents.action, "moderation.articles.undoHide"))
      .orderBy(desc(schema.auditEvents.id))
      .limit(1);
    expect(event).toMatchObject({
      actorId: otherModerator.user.id,
      targetType: "article",
      targetId: actionId,
      details: expect.objectContaining({ outcome: "failure" }),
    });
  });

  it("does not reach across kinds: an article hide's id undoes no comment", async () => {
    const [article] = await insertArticles(1);
    if (!article) throw new Error("no article");
    const { actionId } = await asModerator.moderation.articles.hide({ ids: [article.id] });
    if (!actionId) throw new Error("no action");

    await expectTRPCError(asModerator.moderation.comments.undoHide({ actionId }), "NOT_FOUND");
    expect(await articleStates([article.id])).toMatchObject([{ moderation: "hidden" }]);
  });

  it("refuses an action id that is not one (BAD_REQUEST) and answers NOT_FOUND for an unknown one", async () => {
    for (const actionId of ["", "1", "' or 1=1 --", "x".repeat(10_000), "00000000-0000-0000-0000-000000000000\u0000"]) {
      await expectTRPCError(asModerator.moderation.articles.undoHide({ actionId }), "BAD_REQUEST");
    }
    await expectTRPCError(
      asModerator.moderation.articles.undoHide({ actionId: "6f1c1c8e-3b7a-4d2e-9a4b-1c2d3e4f5a6b" }),
      "NOT_FOUND",
    );
  });

  it("restores once when the same undo arrives twice at the same moment", async () => {
    const articles = await insertArticles(5);
    const ids = articles.map((article) => article.id);
    const { actionId } = await asModerator.moderation.articles.hide({ ids });
    if (!actionId) throw new Error("no action");
    const [first, second] = await Promise.all([h.as({ bearer: moderator.token }), h.as({ bearer: moderator.token })]);
    if (!first || !second) throw new Error("no callers");

    const outcomes = await Promise.allSettled([
      first.moderation.articles.undoHide({ actionId }),
      second.moderation.articles.undoHide({ actionId }),
    ]);

    const fulfilled = outcomes.filter((outcome) => outcome.status === "fulfilled");
    const rejected = outcomes.filter((outcome) => outcome.status === "rejected");
    expect(fulfilled.map((outcome) => outcome.value)).toEqual([{ affected: ids }]);
    expect(rejected.map((outcome) => (outcome.reason as { code?: string }).code)).toEqual(["NOT_FOUND"]);
    expect((await articleStates(ids)).every((row) => row.moderation === "visible")).toBe(true);
  });

  it("leaves a consistent state when an undo and another moderator's hide of the same rows race", async () => {
    const articles = await insertArticles(4);
    const ids = articles.map((article) => article.id);
    const { actionId } = await asModerator.moderation.articles.hide({ ids });
    if (!actionId) throw new Error("no action");

    const [undone, hidden] = await Promise.all([
      asModerator.moderation.articles.undoHide({ actionId }),
      asOther.moderation.articles.hide({ ids, reason: "racing" }),
    ]);

    // The undo always restores all four; the hide either came first (nothing to hide yet) or after (hides all again).
    expect(undone.affected).toEqual(ids);
    const states = await articleStates(ids);
    if (hidden.affected.length === 0) {
      expect(states.every((row) => row.moderation === "visible" && row.action === null)).toBe(true);
    } else {
      expect(hidden.affected).toEqual(ids);
      expect(
        states.every(
          (row) => row.moderation === "hidden" && row.action === hidden.actionId && row.by === otherModerator.user.id,
        ),
      ).toBe(true);
    }
  });
});
