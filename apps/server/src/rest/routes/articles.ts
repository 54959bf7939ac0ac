import { appRouter } from "@inkwell/api";
import type { AnyTRPCProcedure } from "@trpc/server";
import { z } from "zod";
import { jsonAnswer } from "../../middleware/answer-bytes.ts";
import { jsonBody, TOKEN } from "../doc-parts.ts";
import { operation, type RestResource } from "../operation.ts";
import { procedureField, procedureFields } from "../procedure-input.ts";
import { envelope, unchecked, wholeNumber } from "../request.ts";
import { errorsFor, ok } from "../responses.ts";
import { articleListView, articleView } from "../views.ts";

const tags = ["Articles"];
const favoriteTags = ["Favorites"];

const slug = z.object({
  slug: procedureField(appRouter.articles.get, "articles.get", "slug").meta({ description: "The article's slug" }),
});

/** Paging, as the list procedures bound it. */
const paging = (procedure: AnyTRPCProcedure, name: string) => ({
  limit: procedureField(procedure, name, "limit").meta({ description: "How many articles to return" }),
  offset: procedureField(procedure, name, "offset").meta({ description: "How many articles to skip" }),
});

const list = appRouter.articles.list;
const listQuery = z.object({
  tag: procedureField(list, "articles.list", "tag").meta({ description: "Only articles with this tag" }),
  author: procedureField(list, "articles.list", "author").meta({ description: "Only articles by this username" }),
  favorited: procedureField(list, "articles.list", "favoritedBy").meta({
    description: "Only articles this username favorited",
  }),
  ...paging(list, "articles.list"),
});

export const articleResource: RestResource = {
  resource: "article",
  operations: [
    // Before /articles/{slug}, so "feed" is not taken for a slug.
    operation({
      method: "get",
      path: "/articles/feed",
      doc: {
        tags,
        summary: "Get recent articles from users you follow",
        description: "Articles by the authors the caller follows, newest first. Auth is required.",
        operationId: "GetArticlesFeed",
        security: TOKEN,
        requestParams: { query: z.object(paging(appRouter.articles.feed, "articles.feed")) },
        responses: { 200: ok.articles, ...errorsFor([401]) },
      },
      handle: async (c) => {
        const page = await c.get("api").articles.feed({
          limit: wholeNumber(c, "limit"),
          offset: wholeNumber(c, "offset"),
        });
        return jsonAnswer(c, articleListView(page));
      },
    }),
    operation({
      method: "get",
      path: "/articles",
      doc: {
        tags,
        summary: "Get recent articles globally",
        description: "Articles, newest first, filtered by the query. Auth is optional.",
        operationId: "GetArticles",
        requestParams: { query: listQuery },
        responses: { 200: ok.articles },
      },
      handle: async (c) => {
        const page = await c.get("api").articles.list({
          tag: c.req.query("tag"),
          author: c.req.query("author"),
          favoritedBy: c.req.query("favorited"),
          limit: wholeNumber(c, "limit"),
          offset: wholeNumber(c, "offset"),
        });
        return jsonAnswer(c, articleListView(page));
      },
    }),
    operation({
      method: "post",
      path: "/articles",
      doc: {
        tags,
        summary: "Create an article",
        description: "Publishes an article by the caller. Auth is required.",
        operationId: "CreateArticle",
        security: TOKEN,
        requestBody: jsonBody(
          "article",
          procedureFields(appRouter.articles.create, "articles.create").meta({ id: "NewArticle" }),
          "Article to create",
        ),
        responses: { 201: ok.article, ...errorsFor([401, 403, 409]) },
      },
      handle: async (c) => {
        const article = await envelope(c, "article");
        return jsonAnswer(c, { article: articleView(await c.get("api").articles.create(unchecked(article))) }, 201);
      },
    }),
    operation({
      method: "get",
      path: "/articles/{slug}",
      doc: {
        tags,
        summary: "Get an article",
        description: "One article with its body. Auth not required.",
        operationId: "GetArticle",
        requestParams: { path: slug },
        responses: { 200: ok.article, ...errorsFor([404]) },
      },
      handle: async (c) => {
        return jsonAnswer(c, { article: articleView(await c.get("api").articles.get({ slug: c.req.param("slug") })) });
      },
    }),
    operation({
      method: "put",
      path: "/articles/{slug}",
      doc: {
        tags,
        summary: "Update an article",
        description:
          "Changes the given fields of the caller's own article; a new title gives a new slug. Without `tagList` the tags stay; `[]` clears them. Auth is required.",
        operationId: "UpdateArticle",
        security: TOKEN,
        requestParams: { path: slug },
        requestBody: jsonBody(
          "article",
          procedureFields(appRouter.articles.update, "articles.update", ["slug"]).meta({ id: "UpdateArticle" }),
          "Article to update",
        ),
        responses: { 200: ok.article, ...errorsFor([401, 403, 404, 409]) },
      },
      handle: async (c) => {
        const changes = await envelope(c, "article");
        const article = await c.get("api").articles.update({ ...unchecked(changes), slug: c.req.param("slug") });
        return jsonAnswer(c, { article: articleView(article) });
      },
    }),
    operation({
      method: "delete",
      path: "/articles/{slug}",
      doc: {
        tags,
        summary: "Delete an article",
        description: "Deletes the caller's own article. Auth is required.",
        operationId: "DeleteArticle",
        security: TOKEN,
        requestParams: { path: slug },
        responses: { 204: ok.empty, ...errorsFor([401, 403, 404]) },
      },
      handle: async (c) => {
        await c.get("api").articles.delete({ slug: c.req.param("slug") });
        return c.body(null, 204);
      },
    }),
    operation({
      method: "post",
      path: "/articles/{slug}/favorite",
      doc: {
        tags: favoriteTags,
        summary: "Favorite an article",
        description: "Favorite an article. Auth is required.",
        operationId: "CreateArticleFavorite",
        security: TOKEN,
        requestParams: { path: slug },
        responses: { 200: ok.article, ...errorsFor([401, 403, 404]) },
      },
      handle: async (c) => {
        return jsonAnswer(c, {
          article: articleView(await c.get("api").articles.favorite({ slug: c.req.param("slug") })),
        });
      },
    }),
    operation({
      method: "delete",
      path: "/articles/{slug}/favorite",
      doc: {
        tags: favoriteTags,
        summary: "Unfavorite an article",
        description: "Unfavorite an article. Auth is required.",
        operationId: "DeleteArticleFavorite",
        security: TOKEN,
        requestParams: { path: slug },
        responses: { 200: ok.article, ...errorsFor([401, 403, 404]) },
      },
      handle: async (c) => {
        return jsonAnswer(c, {
          article: articleView(await c.get("api").articles.unfavorite({ slug: c.req.param("slug") })),
        });
      },
    }),
  ],
};
