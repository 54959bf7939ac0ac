import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../testing/harness.ts";
import { streamReader, trackedReader } from "../testing/stream-reader.ts";

let h: Harness;
let author: Awaited<ReturnType<Harness["signedIn"]>>;
let reader: Awaited<ReturnType<Harness["signedIn"]>>;
let moderator: Awaited<ReturnType<Harness["signedIn"]>>;
const open: AbortController[] = [];
beforeAll(async () => {
  h = await createHarness();
  [author, reader, moderator] = await Promise.all([h.signedIn("user"), h.signedIn("user"), h.signedIn("moderator")]);
});
afterAll(async () => {
  for (const controller of open) controller.abort();
  await h.close();
});

async function callerFor(bearer?: string) {
  const controller = new AbortController();
  open.push(controller);
  return { caller: await h.as({ bearer, signal: controller.signal }), stop: () => controller.abort() };
}

async function watchComments(slug: string, options: { bearer?: string; lastEventId?: string } = {}) {
  const { caller, stop } = await callerFor(options.bearer);
  return { ...trackedReader(await caller.articles.onComment({ slug, lastEventId: options.lastEventId })), stop };
}

async function newArticle(title: string) {
  return (await h.as({ bearer: author.token })).articles.create({ title, description: "d", body: "b" });
}

async function comment(slug: string, body: string, token = reader.token) {
  return (await h.as({ bearer: token })).comments.add({ slug, body });
}

const codeOf = (error: unknown) => (error instanceof TRPCError ? error.code : error);

describe("articles.onComment", () => {
  it("streams new comments on that article only, to anonymous readers too", async () => {
    const [watched, other] = await Promise.all([newArticle("Watched"), newArticle("Other")]);
    const comments = await watchComments(watched.slug);
    await comment(other.slug, "elsewhere");
    const added = await comment(watched.slug, "first!");

    const { id, data: received } = await comments.next();
    expect(id).toBe(String(added.id));
    expect(received).toMatchObject({ id: added.id, body: "first!", author: { username: reader.user.username } });
    expect(await comments.quietFor(200)).toBe(true);
  });

  it("replays the comments a reconnecting reader missed", async () => {
    const article = await newArticle("Resumed");
    const seen = await comment(article.slug, "seen");
    const missed = [await comment(article.slug, "missed 1"), await comment(article.slug, "missed 2")];
    const comments = await watchComments(article.slug, { lastEventId: String(seen.id) });
    expect((await comments.take(2)).map(({ data }) => data.body)).toEqual(missed.map((item) => item.body));
    expect(await comments.quietFor(200)).toBe(true);
  });

  it("is refused for a hidden article, and ends when the article is hidden while open", async () => {
    const article = await newArticle("Soon hidden");
    const comments = await watchComments(article.slug);
    const moderate = await h.as({ bearer: moderator.token });
    await moderate.moderation.articles.hide({ ids: [article.id] });
    expect(codeOf(await comments.end())).toBe("NOT_FOUND");
    expect(codeOf(await watchComments(article.slug).catch((error: unknown) => error))).toBe("NOT_FOUND");

    // Its author still sees it, and its comments.
    const asAuthor = await watchComments(article.slug, { bearer: author.token });
    await comment(article.slug, "still here", author.token);
    expect((await asAuthor.next()).data.body).toBe("still here");
  });

  it("ends for a reader whose session ends", async () => {
    const article = await newArticle("Signed-in reading");
    const comments = await watchComments(article.slug, { bearer: reader.token });
    const other = await h.signedIn("user");
    await (await h.as({ bearer: other.token })).auth.signOut();
    // Someone else signing out changes nothing for this reader.
    expect(await comments.quietFor(200)).toBe(true);
    const mine = await h.signIn(reader.user.email);
    await (await h.as({ bearer: reader.token })).auth.signOut();
    expect(codeOf(await comments.end())).toBe("UNAUTHORIZED");
    reader = { ...reader, token: mine };
  });
});

describe("moderation.articles.onCommentCounts", () => {
  it("sends the counts of the articles on screen, then each change", async () => {
    const [one, two, offScreen] = await Promise.all([newArticle("One"), newArticle("Two"), newArticle("Three")]);
    await comment(one.slug, "already there");
    const { caller } = await callerFor(moderator.token);
    const counts = streamReader(await caller.moderation.articles.onCommentCounts({ ids: [one.id, two.id] }));
    expect(await counts.next()).toEqual([
      { articleId: one.id, commentsCount: 1 },
      { articleId: two.id, commentsCount: 0 },
    ]);

    await comment(offScreen.slug, "not watched");
    const added = await comment(two.slug, "new");
    expect(await counts.next()).toEqual([{ articleId: two.id, commentsCount: 1 }]);

    await (await h.as({ bearer: reader.token })).comments.delete({ slug: two.slug, id: added.id });
    expect(await counts.next()).toEqual([{ articleId: two.id, commentsCount: 0 }]);
  });

  it("is for moderators only", async () => {
    const { caller } = await callerFor(reader.token);
    const error = await caller.moderation.articles.onCommentCounts({ ids: [1] }).catch((caught: unknown) => caught);
    expect(codeOf(error)).toBe("FORBIDDEN");
  });
});
