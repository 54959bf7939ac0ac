import { appRouter } from "@inkwell/api";
import { TRPCError } from "@trpc/server";
import { jsonAnswer } from "../../middleware/answer-bytes.ts";
import { jsonBody, TOKEN } from "../doc-parts.ts";
import { RestError } from "../errors.ts";
import { operation, type RestResource } from "../operation.ts";
import { procedureFields } from "../procedure-input.ts";
import { envelope, presentedToken, unchecked } from "../request.ts";
import { errorsFor, ok } from "../responses.ts";
import { userView } from "../views.ts";

const tags = ["User and Authentication"];

export const TWO_FACTOR_UNSUPPORTED =
  "is on for this account, and this API cannot ask for the code. Use an API key (Authorization: Bearer ink_…), or sign in through the typed client (@inkwell/client: auth.signIn, then auth.signIn2fa).";

/** Registration, sign-in and the current user. */
export const userResource: RestResource = {
  resource: "user",
  operations: [
    operation({
      method: "post",
      path: "/users/login",
      doc: {
        tags,
        summary: "Existing user login",
        description:
          "Signs in and starts a new session; its token is in the answer. An account with two-factor sign-in cannot sign in here (the contract has no second step): it is answered 401 with `twoFactor` naming what to use instead, an API key or the typed client.",
        operationId: "Login",
        requestBody: jsonBody(
          "user",
          procedureFields(appRouter.auth.signIn, "auth.signIn", ["session"]).meta({ id: "LoginUser" }),
          "Credentials to use",
        ),
        responses: { 200: ok.user, ...errorsFor([401, 403, 429]) },
      },
      handle: async (c) => {
        const user = await envelope(c, "user");
        const result = await c
          .get("api")
          .auth.signIn({ ...unchecked(user), session: "token" })
          .catch((error: unknown) => {
            // The contract words a failed sign-in as invalid credentials, not a missing token.
            if (error instanceof TRPCError && error.code === "UNAUTHORIZED")
              throw new RestError(401, { credentials: ["invalid"] });
            throw error;
          });
        // RealWorld's login has no second step: a code cannot be asked for here.
        if (result.twoFactorRequired) throw new RestError(401, { twoFactor: [TWO_FACTOR_UNSUPPORTED] });
        return jsonAnswer(c, { user: userView(result.user, result.token ?? "") });
      },
    }),
    operation({
      method: "post",
      path: "/users",
      doc: {
        tags,
        summary: "Register a new user",
        description: "Creates an account and starts a session; its token is in the answer.",
        operationId: "CreateUser",
        requestBody: jsonBody(
          "user",
          procedureFields(appRouter.auth.signUp, "auth.signUp", ["session"]).meta({ id: "NewUser" }),
          "Details of the new user to register",
        ),
        responses: { 201: ok.user, ...errorsFor([409]) },
      },
      handle: async (c) => {
        const user = await envelope(c, "user");
        const result = await c.get("api").auth.signUp({ ...unchecked(user), session: "token" });
        return jsonAnswer(c, { user: userView(result.user, result.token ?? "") }, 201);
      },
    }),
    operation({
      method: "get",
      path: "/user",
      doc: {
        tags,
        summary: "Get current user",
        description: "The signed-in user, with the token presented.",
        operationId: "GetCurrentUser",
        security: TOKEN,
        responses: { 200: ok.user, ...errorsFor([401]) },
      },
      handle: async (c) => {
        const me = await c.get("api").auth.me();
        return jsonAnswer(c, { user: userView(me.user, presentedToken(c)) });
      },
    }),
    operation({
      method: "put",
      path: "/user",
      doc: {
        tags,
        summary: "Update current user",
        description:
          'Changes the given fields; `bio` or `image` set to `""` or `null` clears them. A new `password` needs a session signed in within the last hour and ends the user\'s other sessions. A new `email` is not set at once: a confirmation link goes to it and a notice to the current address, and the answer keeps the current `email` until the link is opened (docs/security.md).',
        operationId: "UpdateCurrentUser",
        security: TOKEN,
        requestBody: jsonBody(
          "user",
          procedureFields(appRouter.auth.updateProfile, "auth.updateProfile").meta({ id: "UpdateUser" }),
          "User details to update",
        ),
        responses: { 200: ok.user, ...errorsFor([401, 403, 409]) },
      },
      handle: async (c) => {
        const changes = await envelope(c, "user");
        const user = await c.get("api").auth.updateProfile(unchecked(changes));
        return jsonAnswer(c, { user: userView(user, presentedToken(c)) });
      },
    }),
  ],
};
