import { appRouter } from "@inkwell/api";
import { z } from "zod";
import { jsonAnswer } from "../../middleware/answer-bytes.ts";
import { jsonBody, TOKEN } from "../doc-parts.ts";
import { RestInputError } from "../errors.ts";
import { operation, type RestResource } from "../operation.ts";
import { procedureField, procedureFields } from "../procedure-input.ts";
import { envelope, unchecked } from "../request.ts";
import { errorsFor, ok } from "../responses.ts";
import { commentView } from "../views.ts";

// The contract has no paging for comments; this is the procedure's largest page.
const ALL_COMMENTS = 500;

const tags = ["Comments"];
const slug = procedureField(appRouter.comments.list, "comments.list", "slug").meta({
  description: "The article's slug",
});

export const commentResource: RestResource = {
  resource: "comment",
  operations: [
    operation({
      method: "get",
      path: "/articles/{slug}/comments",
      doc: {
        tags,
        summary: "Get comments for an article",
        description: `The article's comments, newest first (at most ${ALL_COMMENTS}). Auth is optional.`,
        operationId: "GetArticleComments",
        requestParams: { path: z.object({ slug }) },
        responses: { 200: ok.comments, ...errorsFor([404]) },
      },
      handle: async (c) => {
        const page = await c.get("api").comments.list({ slug: c.req.param("slug"), limit: ALL_COMMENTS });
        return jsonAnswer(c, { comments: page.comments.map(commentView) });
      },
    }),
    operation({
      method: "post",
      path: "/articles/{slug}/comments",
      doc: {
        tags,
        summary: "Create a comment for an article",
        description: "Adds the caller's comment to an article. Auth is required.",
        operationId: "CreateArticleComment",
        security: TOKEN,
        requestParams: { path: z.object({ slug }) },
        requestBody: jsonBody(
          "comment",
          procedureFields(appRouter.comments.add, "comments.add", ["slug"]).meta({ id: "NewComment" }),
          "Comment you want to create",
        ),
        responses: { 201: ok.comment, ...errorsFor([401, 403, 404]) },
      },
      handle: async (c) => {
        const comment = await envelope(c, "comment");
        const created = await c.get("api").comments.add({ ...unchecked(comment), slug: c.req.param("slug") });
        return jsonAnswer(c, { comment: commentView(created) }, 201);
      },
    }),
    operation({
      method: "delete",
      path: "/articles/{slug}/comments/{id}",
      doc: {
        tags,
        summary: "Delete a comment for an article",
        description: "Deletes the caller's own comment. Auth is required.",
        operationId: "DeleteArticleComment",
        security: TOKEN,
        requestParams: {
          path: z.object({
            slug,
            id: procedureField(appRouter.comments.delete, "comments.delete", "id").meta({
              description: "The comment's id",
            }),
          }),
        },
        responses: { 204: ok.empty, ...errorsFor([401, 403, 404]) },
      },
      handle: async (c) => {
        const id = Number(c.req.param("id"));
        if (!Number.isSafeInteger(id) || id < 1) throw new RestInputError({ id: ["must be a whole number"] });
        await c.get("api").comments.delete({ slug: c.req.param("slug"), id });
        return c.body(null, 204);
      },
    }),
  ],
};
