import { type ApiDeps, appRouter, createCallerFactory, READ_AFTER_HEADER } from "@inkwell/api";
import { type Context, Hono } from "hono";
import type { Logger } from "../logger.ts";
import { requestContext } from "../request-context.ts";
import { metaOptions, type ProxyTrust } from "../request-meta.ts";
import { rpcDocument } from "./document.ts";
import { errorAnswer, TransportError } from "./errors.ts";
import { readJsonDates, readQuery } from "./input-decoding.ts";
import { type Catalogue, type RpcProcedure, readCatalogue } from "./procedures.ts";

export interface RpcOptions extends ProxyTrust {
  logger: Logger;
}

const createCaller = createCallerFactory(appRouter);

type Call = (input: unknown) => Promise<unknown>;

/** The caller's function for a path such as `users.list`; the catalogue only holds paths the router has. */
function procedureOf(caller: unknown, path: string): Call {
  return path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as Call;
}

/** What a call without input passes: nothing to an input that has a default or is optional, else an empty object. */
function absentInput(procedure: RpcProcedure): unknown {
  const type = procedure.input?._zod.def.type;
  return type === undefined || type === "default" || type === "prefault" || type === "optional" ? undefined : {};
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function hasBody(c: Context): boolean {
  const length = c.req.header("content-length");
  return (length !== undefined && length.trim() !== "0") || c.req.header("transfer-encoding") !== undefined;
}

/** A mutation's input: its JSON body (dates read where the schema wants them), with the fields the transport fills. */
async function mutationInput(c: Context, procedure: RpcProcedure): Promise<unknown> {
  if (!hasBody(c)) {
    const absent = absentInput(procedure);
    return Object.keys(procedure.supplied).length > 0 ? { ...(absent ?? {}), ...procedure.supplied } : absent;
  }
  if (c.req.header("content-type")?.split(";")[0]?.trim().toLowerCase() !== "application/json") {
    throw new TransportError(
      415,
      "UNSUPPORTED_MEDIA_TYPE",
      "Send the input as JSON, with Content-Type: application/json.",
    );
  }
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new TransportError(400, "PARSE_ERROR", "The body is not valid JSON.");
  }
  if (!procedure.input) return undefined;
  const read = readJsonDates(procedure.input, body);
  return isPlainObject(read) ? { ...read, ...procedure.supplied } : read;
}

function queryInput(c: Context, procedure: RpcProcedure): unknown {
  const params = new URL(c.req.url).searchParams;
  const read = readQuery(procedure.queryFields, params);
  return Object.keys(read).length === 0 ? absentInput(procedure) : read;
}

/**
 * The procedures an API key may call, over plain HTTP and JSON at
 * /api/rpc/{path}: queries are GET with their input in the query string,
 * mutations POST with a JSON body; the answer is the procedure's output as
 * JSON (times as ISO 8601 strings), failures a `ProcedureError`. Each call
 * runs the procedure through `createCaller` with the same context /trpc
 * builds, without cookies: the rules, audit and limits are the procedure's.
 * The OpenAPI document of it all is /api/rpc/openapi.json.
 */
export function rpcRoutes(deps: ApiDeps, options: RpcOptions, catalogue: Catalogue = readCatalogue()) {
  const byPath = new Map(catalogue.served.map((procedure) => [procedure.path, procedure]));
  const notServed = new Map(catalogue.notServed.map(({ path, reason }) => [path, reason]));
  const json = JSON.stringify(rpcDocument(catalogue));
  const app = new Hono<{ Variables: { requestId: string; userId?: number } }>();
  const headersOnly = metaOptions(options, false);

  app.get("/openapi.json", (c) => c.body(json, 200, { "content-type": "application/json" }));

  app.on(["GET", "POST"], "/:path", async (c) => {
    const requestId: string = c.get("requestId");
    const path = c.req.param("path");
    const procedure = byPath.get(path);
    let input: unknown;
    try {
      if (!procedure) {
        const reason = notServed.get(path);
        throw new TransportError(
          404,
          "NOT_FOUND",
          reason
            ? `${path} is not served here: ${reason}.`
            : `There is no procedure ${path}; see /api/rpc/openapi.json.`,
        );
      }
      const method = procedure.type === "query" ? "GET" : "POST";
      if (c.req.method !== method && !(method === "GET" && c.req.method === "HEAD")) {
        c.header("Allow", method);
        throw new TransportError(
          405,
          "METHOD_NOT_SUPPORTED",
          `${path} is a ${procedure.type}: call it with ${method}.`,
        );
      }
      input = procedure.type === "query" ? queryInput(c, procedure) : await mutationInput(c, procedure);
      const { ctx, resHeaders } = await requestContext(c, deps, headersOnly);
      if (ctx.principal) c.set("userId", ctx.principal.user.id);
      const output = await procedureOf(createCaller(ctx), path)(input);
      // After a write, where the caller's next reads must start (decision 014); set only with replicas.
      const readAfter = resHeaders.get(READ_AFTER_HEADER);
      if (readAfter) c.header(READ_AFTER_HEADER, readAfter);
      return c.json(output ?? null, 200);
    } catch (error) {
      const answer = errorAnswer(error, { requestId, path, type: procedure?.type, input });
      if (answer.status >= 500) options.logger.error({ err: error, procedure: path, requestId }, "procedure failed");
      if (answer.body.retryAfterSeconds !== undefined) c.header("Retry-After", String(answer.body.retryAfterSeconds));
      return c.json(answer.body, answer.status);
    }
  });

  app.all("*", (c) =>
    c.json(
      {
        error: `Call a procedure at /api/rpc/{path}, e.g. /api/rpc/users.list; see /api/rpc/openapi.json.`,
        code: "NOT_FOUND",
        requestId: c.get("requestId"),
      },
      404,
    ),
  );
  return app;
}
