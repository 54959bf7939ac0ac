import type { AnyTRPCProcedure } from "@trpc/server";
import { z } from "zod";

/**
 * The zod object a procedure validates its input with (its `.input(…)`), so
 * the document describes exactly the fields and limits the procedure enforces,
 * with no second copy to drift. An input with a default for the whole object
 * (`articles.list`) is unwrapped. Throws when the document is built if a
 * procedure's input stops being one zod object, rather than documenting a guess.
 */
export function procedureInput(procedure: AnyTRPCProcedure, name: string): z.ZodObject {
  const inputs: unknown[] = procedure._def.inputs;
  const [input] = inputs;
  const object = input instanceof z.ZodDefault ? input.unwrap() : input;
  if (inputs.length !== 1 || !(object instanceof z.ZodObject)) {
    throw new Error(`${name}: expected one zod object as input, to document it`);
  }
  return object;
}

/** A procedure's input fields, less those the facade supplies itself (the path's slug, the session transport). */
export function procedureFields(procedure: AnyTRPCProcedure, name: string, suppliedByFacade: string[] = []) {
  const input = procedureInput(procedure, name);
  // zod refuses to omit a key the input does not have: a renamed field fails here, not in a client.
  const mask: Record<string, true> = Object.fromEntries(suppliedByFacade.map((key) => [key, true]));
  return input.omit(mask as typeof mask & Record<number, never>);
}

/** One field of a procedure's input, e.g. the `slug` a path parameter carries. */
export function procedureField(procedure: AnyTRPCProcedure, name: string, field: string): z.ZodType {
  const schema = procedureInput(procedure, name).shape[field];
  if (!(schema instanceof z.ZodType)) throw new Error(`${name}: no input field "${field}" to document`);
  return schema;
}
