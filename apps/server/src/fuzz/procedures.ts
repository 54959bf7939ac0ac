import { appRouter, findUnstorableText } from "@inkwell/api";
import { type ZodType, z } from "zod";
import type { JsonSchema } from "./json-schema.ts";

export type ProcedureType = "query" | "mutation" | "subscription";

/** The Standard Schema interface every tRPC input parser (zod included) implements. */
interface InputParser {
  "~standard": { validate(value: unknown): { issues?: unknown } | Promise<{ issues?: unknown }> };
}

export interface ProcedureInfo {
  path: string;
  type: ProcedureType;
  /** The input parsers, in the order tRPC runs them (`.input()` may be called more than once). */
  parsers: readonly InputParser[];
  /** What the parsers accept, as JSON Schema (io: input); null when the procedure takes no input. */
  inputSchema: JsonSchema | null;
}

interface ProcedureDef {
  type: ProcedureType;
  inputs: unknown[];
}

/**
 * JSON Schema of what a zod parser accepts. Dates have no JSON Schema form; they come out
 * as `{ "x-date": true }` so the generator makes Date objects (superjson carries them).
 */
function inputJsonSchema(parser: unknown): JsonSchema {
  return z.toJSONSchema(parser as ZodType, {
    io: "input",
    unrepresentable: "any",
    override: ({ zodSchema, jsonSchema }) => {
      if ((zodSchema as { _zod?: { def?: { type?: string } } })._zod?.def?.type === "date") {
        (jsonSchema as JsonSchema)["x-date"] = true;
      }
    },
  }) as JsonSchema;
}

/** Every procedure of the router, with its type and input schema, found by walking `_def.procedures`. */
export function routerProcedures(): ProcedureInfo[] {
  return Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: ProcedureDef }>)
    .map(([path, procedure]) => {
      const parsers = procedure._def.inputs as InputParser[];
      const schemas = parsers.map(inputJsonSchema);
      return {
        path,
        type: procedure._def.type,
        parsers,
        inputSchema: schemas.length === 0 ? null : schemas.length === 1 ? (schemas[0] ?? null) : { allOf: schemas },
      };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Whether `input`, as the server receives it (after superjson), passes the
 * rules every procedure applies (no unstorable text) and the procedure's own parsers.
 */
export async function acceptsInput(procedure: ProcedureInfo, input: unknown): Promise<boolean> {
  if (findUnstorableText(input)) return false;
  for (const parser of procedure.parsers) {
    const result = await parser["~standard"].validate(input);
    if (result.issues) return false;
  }
  return true;
}
