import { z } from "zod";
import { createDocument, type oas31, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from "zod-openapi";
import { unwrap } from "./input-decoding.ts";
import type { Catalogue, RpcProcedure } from "./procedures.ts";
import { type DocumentedError, errorsFor } from "./responses.ts";

/** `users.revokeApiKey` → `UsersRevokeApiKey`, to name the operation's answer among the components. */
const pascal = (path: string) =>
  path
    .split(".")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");

/** The input fields a client sends: the procedure's own input object, less what the transport fills in. */
function sentFields(procedure: RpcProcedure): z.ZodObject | undefined {
  const object = procedure.input && unwrap(procedure.input);
  if (!(object instanceof z.ZodObject)) return undefined;
  if (Object.keys(procedure.supplied).length === 0) return object;
  // A new object of the other fields: zod refuses `.omit()` on an object with refinements (auth.signIn2fa's),
  // and JSON Schema cannot state those anyway.
  return z.object(Object.fromEntries(Object.entries(object.shape).filter(([key]) => !(key in procedure.supplied))));
}

/** Whether a call may leave the input out (an input with a default for the whole object, or none). */
const inputOptional = (procedure: RpcProcedure) =>
  !procedure.input || ["default", "prefault", "optional"].includes(procedure.input._zod.def.type);

function describe(procedure: RpcProcedure): ZodOpenApiOperationObject {
  const fields = sentFields(procedure);
  const hasBody = procedure.type === "mutation" && procedure.input !== undefined;
  const errors: DocumentedError[] = [
    ...(procedure.input ? [400 as const] : []),
    ...(procedure.public ? [] : [401 as const, 403 as const]),
    ...(hasBody ? [413 as const, 415 as const] : []),
    429,
    503,
    "default",
  ];
  const permissions = procedure.permissions.map((permission) => `\`${permission}\``).join(" and ");
  const who = procedure.public
    ? "Anyone may call it, with or without a credential."
    : permissions
      ? `Needs the ${permissions} permission: an API key must hold it among its scopes, and its owner still.`
      : "Needs a credential: an API key or a session token.";
  return {
    operationId: procedure.path,
    summary: procedure.path,
    description: `The tRPC procedure \`${procedure.path}\` (a ${procedure.type}). ${who}`,
    tags: [procedure.path.split(".")[0] ?? procedure.path],
    security: procedure.public ? [{}, { ApiKey: [] }, { SessionToken: [] }] : [{ ApiKey: [] }, { SessionToken: [] }],
    "x-permissions": procedure.permissions,
    ...(procedure.type === "query" && fields ? { requestParams: { query: fields } } : {}),
    ...(hasBody && fields
      ? { requestBody: { required: !inputOptional(procedure), content: { "application/json": { schema: fields } } } }
      : {}),
    responses: {
      200: {
        id: `${pascal(procedure.path)}Result`,
        description: `What \`${procedure.path}\` answers`,
        content: { "application/json": { schema: procedure.output ?? z.unknown() } },
      },
      ...errorsFor(errors),
    },
  };
}

/**
 * The OpenAPI 3.1 document of /api/rpc: one operation per procedure an API
 * key may call, read from the router (procedures.ts), with the procedure's own
 * input and `.output()` schemas. Dates are ISO 8601 strings in JSON.
 */
export function rpcDocument(catalogue: Catalogue): oas31.OpenAPIObject {
  const paths: ZodOpenApiPathsObject = {};
  for (const procedure of catalogue.served) {
    paths[`/${procedure.path}`] = { [procedure.type === "query" ? "get" : "post"]: describe(procedure) };
  }
  const notServed = catalogue.notServed.map(({ path, reason }) => `\`${path}\` (${reason})`).join(", ");
  return createDocument(
    {
      openapi: "3.1.0",
      info: {
        title: "Inkwell procedures over HTTP",
        description: `Every tRPC procedure an API key may call, operators' included, as plain HTTP and JSON: a query is \`GET /api/rpc/{procedure}\` with its input fields in the query string (a list repeats its parameter, times are ISO 8601), a mutation is \`POST /api/rpc/{procedure}\` with its input as a JSON body. The answer is the procedure's output as JSON, times as ISO 8601 strings; a failure is a \`ProcedureError\` with the tRPC error code and the matching HTTP status. The rules, limits and audit are the procedures' own, the same as through /trpc. Send an API key (\`Authorization: Bearer ink_…\`) or a session token (from \`auth.signIn\`) the same way. Not served here: ${notServed || "none"}.`,
        version: "1.0.0",
      },
      servers: [{ url: "/api/rpc" }],
      components: {
        securitySchemes: {
          ApiKey: {
            type: "http",
            scheme: "bearer",
            bearerFormat: "ink_<id>_<secret>",
            description:
              "An API key made with `apiKeys.create` (or the admin console's Account page): it may do what its scopes allow, as long as its owner still may. Also accepted as `Authorization: Token <key>`.",
          },
          SessionToken: {
            type: "http",
            scheme: "bearer",
            description:
              "A session token, from `auth.signIn` (or `auth.signIn2fa`) on this transport, which hands sessions over as tokens. Also accepted as `Authorization: Token <token>`.",
          },
        },
      },
      paths,
    },
    {
      // zod renders a z.date() as a bare string; JSON carries it as an ISO 8601 time.
      override: ({ zodSchema, jsonSchema }) => {
        if (zodSchema._zod.def.type === "date") jsonSchema.format = "date-time";
      },
    },
  );
}
