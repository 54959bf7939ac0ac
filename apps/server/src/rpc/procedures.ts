import { type AppRouter, appRouter, type ProcedureMeta } from "@inkwell/api";
import type { Permission } from "@inkwell/auth";
import { z } from "zod";
import { type QueryField, queryFieldsOf, unwrap } from "./input-decoding.ts";

/**
 * The procedures /api/rpc serves and documents, read from the router when the
 * server starts: every query and mutation an API key may call. A procedure
 * added to the router is served and documented with no change here; what it
 * lacks to be described (an `.output()` schema, a flat query input) is listed
 * in `problems`, which a test requires to be empty.
 */

/**
 * Input fields this transport fills in itself. It has no cookies, so a
 * session opened here is handed over as a token in the answer.
 */
const SUPPLIED_FIELDS: Record<string, unknown> = { session: "token" };

export interface RpcProcedure {
  /** The tRPC path, e.g. `users.list`; served at `/api/rpc/users.list`. */
  path: string;
  type: "query" | "mutation";
  /** The procedure's own input schema, as given to `.input()`; undefined when it takes none. */
  input: z.ZodType | undefined;
  /** How a query's input fields travel in the query string. */
  queryFields: QueryField[];
  /** Fields of the input this transport fills in (and the document leaves out). */
  supplied: Record<string, unknown>;
  /** The `.output()` schema; undefined when the procedure has none yet. */
  output: z.ZodType | undefined;
  permissions: readonly Permission[];
  /** Anyone may call it without a credential (the builders mark the others `signedIn`; root.test.ts checks the list). */
  public: boolean;
}

export interface NotServed {
  path: string;
  reason: string;
}

export interface Catalogue {
  served: RpcProcedure[];
  notServed: NotServed[];
  /** What keeps a served procedure, or one that should be, from being fully described. */
  problems: string[];
}

interface ProcedureDef {
  type: "query" | "mutation" | "subscription";
  meta?: ProcedureMeta;
  inputs: unknown[];
  output?: unknown;
}

const defOf = (procedure: unknown) => (procedure as { _def: ProcedureDef })._def;

function suppliedFields(input: z.ZodType | undefined): Record<string, unknown> {
  const object = input && unwrap(input);
  if (!(object instanceof z.ZodObject)) return {};
  return Object.fromEntries(Object.entries(SUPPLIED_FIELDS).filter(([key]) => key in object.shape));
}

/** Reads the router; `router` is a parameter so tests can hand it one with a procedure that lacks something. */
export function readCatalogue(router: { _def: { procedures: object } } = appRouter as AppRouter): Catalogue {
  const catalogue: Catalogue = { served: [], notServed: [], problems: [] };
  for (const [path, procedure] of Object.entries(router._def.procedures)) {
    const def = defOf(procedure);
    if (def.type === "subscription") {
      catalogue.notServed.push({ path, reason: "a live stream: subscribe through /trpc (server-sent events)" });
      continue;
    }
    if (def.meta?.browserSignIn) {
      catalogue.notServed.push({ path, reason: "a browser sign-in step (identity provider, passkey): through /trpc" });
      continue;
    }
    if (def.meta?.sessionOnly) {
      catalogue.notServed.push({ path, reason: "needs a signed-in session, never an API key: call it through /trpc" });
      continue;
    }
    const [input, ...more] = def.inputs;
    if (more.length > 0 || (input !== undefined && !(input instanceof z.ZodType))) {
      catalogue.problems.push(
        `${path}: its input must be one zod schema (one .input() call) to be read and documented`,
      );
      catalogue.notServed.push({ path, reason: "its input is not one zod schema" });
      continue;
    }
    let queryFields: QueryField[] = [];
    if (def.type === "query" && input) {
      const read = queryFieldsOf(input);
      if ("unsupported" in read) {
        catalogue.problems.push(
          `${path}: a query's input travels in the query string, but ${read.unsupported}; make them scalars or lists of scalars`,
        );
        catalogue.notServed.push({ path, reason: read.unsupported });
        continue;
      }
      queryFields = read.fields;
    }
    const output = def.output instanceof z.ZodType ? def.output : undefined;
    if (!output) {
      catalogue.problems.push(
        `${path}: no .output() schema, so its answer is undocumented; add one (packages/api/src/router/outputs.ts or operator-outputs.ts)`,
      );
    }
    catalogue.served.push({
      path,
      type: def.type,
      input,
      queryFields,
      supplied: suppliedFields(input),
      output,
      permissions: def.meta?.permissions ?? [],
      public: !def.meta?.signedIn,
    });
  }
  return catalogue;
}
