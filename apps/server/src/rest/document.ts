import { createDocument, type oas31, type ZodOpenApiOperationObject } from "zod-openapi";
import { documentPaths, type RestOperation, type RestResource } from "./operation.ts";
import { type ErrorStatus, errorsFor } from "./responses.ts";
import { articleResource } from "./routes/articles.ts";
import { commentResource } from "./routes/comments.ts";
import { profileResource } from "./routes/profiles.ts";
import { tagResource } from "./routes/tags.ts";
import { userResource } from "./routes/users.ts";

/** Every RealWorld operation, in the order they are routed. */
export const realWorldResources: readonly RestResource[] = [
  userResource,
  profileResource,
  articleResource,
  commentResource,
  tagResource,
];

/**
 * Answers any operation can give, added to what each lists itself: invalid
 * input, the rate limit, an unreachable database; with a body, also a body
 * too large or not JSON.
 */
function withCommonErrors(operation: RestOperation): ZodOpenApiOperationObject {
  const common: ErrorStatus[] = operation.doc.requestBody ? [413, 415, 422, 429, 503] : [422, 429, 503];
  return { ...operation.doc, responses: { ...errorsFor(common), ...operation.doc.responses } };
}

/**
 * The OpenAPI 3.1 document of /api, generated from the operations' zod
 * schemas: request fields are the procedures' own input schemas, responses the
 * facade's (schemas.ts). Built once, on first use.
 */
let built: oas31.OpenAPIObject | undefined;
export function realWorldDocument(): oas31.OpenAPIObject {
  built ??= createDocument({
    openapi: "3.1.0",
    info: {
      title: 'Inkwell REST API (RealWorld "Conduit" compatible)',
      description:
        "The RealWorld API (specification 2.0.0) as Inkwell serves it. Every endpoint calls the same procedures as the tRPC API, which decide the rules; the field limits shown are theirs. Send `Authorization: Token <token>` (or `Bearer`): an Inkwell session token from /users or /users/login, or an API key.",
      license: { name: "MIT License", url: "https://opensource.org/licenses/MIT" },
      version: "2.0.0",
    },
    servers: [{ url: "/api" }],
    tags: ["Articles", "Comments", "Favorites", "Profile", "Tags", "User and Authentication"].map((name) => ({ name })),
    components: {
      securitySchemes: {
        Token: {
          type: "apiKey",
          in: "header",
          name: "Authorization",
          description:
            "An Inkwell session token (from POST /users or /users/login) or an API key, as `Token <token>` or `Bearer <token>`.",
        },
      },
    },
    paths: documentPaths(realWorldResources, withCommonErrors),
  });
  return built;
}
