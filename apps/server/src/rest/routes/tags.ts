import { jsonAnswer } from "../../middleware/answer-bytes.ts";
import { operation, type RestResource } from "../operation.ts";
import { ok } from "../responses.ts";

export const tagResource: RestResource = {
  resource: "tag",
  operations: [
    operation({
      method: "get",
      path: "/tags",
      doc: {
        tags: ["Tags"],
        summary: "Get tags",
        description: "The names of the tags in use. Auth not required.",
        operationId: "GetTags",
        responses: { 200: ok.tags },
      },
      handle: async (c) => {
        const tags = await c.get("api").tags.list();
        return jsonAnswer(c, { tags: tags.map((tag) => tag.name) });
      },
    }),
  ],
};
