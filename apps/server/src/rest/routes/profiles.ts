import { appRouter } from "@inkwell/api";
import { z } from "zod";
import { jsonAnswer } from "../../middleware/answer-bytes.ts";
import { TOKEN } from "../doc-parts.ts";
import { operation, type RestResource } from "../operation.ts";
import { procedureField } from "../procedure-input.ts";
import { errorsFor, ok } from "../responses.ts";
import { profileView } from "../views.ts";

const tags = ["Profile"];
const path = z.object({
  username: procedureField(appRouter.profiles.get, "profiles.get", "username").meta({
    description: "Username of the profile",
  }),
});

export const profileResource: RestResource = {
  resource: "profile",
  operations: [
    operation({
      method: "get",
      path: "/profiles/{username}",
      doc: {
        tags,
        summary: "Get a profile",
        description: "A user's profile; `following` tells whether the caller follows them. Auth is optional.",
        operationId: "GetProfileByUsername",
        requestParams: { path },
        responses: { 200: ok.profile, ...errorsFor([404]) },
      },
      handle: async (c) => {
        const profile = await c.get("api").profiles.get({ username: c.req.param("username") });
        return jsonAnswer(c, { profile: profileView(profile) });
      },
    }),
    operation({
      method: "post",
      path: "/profiles/{username}/follow",
      doc: {
        tags,
        summary: "Follow a user",
        description: "Follow a user by username.",
        operationId: "FollowUserByUsername",
        security: TOKEN,
        requestParams: { path },
        responses: { 200: ok.profile, ...errorsFor([401, 403, 404]) },
      },
      handle: async (c) => {
        const profile = await c.get("api").profiles.follow({ username: c.req.param("username") });
        return jsonAnswer(c, { profile: profileView(profile) });
      },
    }),
    operation({
      method: "delete",
      path: "/profiles/{username}/follow",
      doc: {
        tags,
        summary: "Unfollow a user",
        description: "Unfollow a user by username.",
        operationId: "UnfollowUserByUsername",
        security: TOKEN,
        requestParams: { path },
        responses: { 200: ok.profile, ...errorsFor([401, 403, 404]) },
      },
      handle: async (c) => {
        const profile = await c.get("api").profiles.unfollow({ username: c.req.param("username") });
        return jsonAnswer(c, { profile: profileView(profile) });
      },
    }),
  ],
};
