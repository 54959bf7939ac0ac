import ts from "typescript";
import { createTypePrinter } from "./print-type.ts";

const { factory } = ts;

const procedureTypes = { query: "Query", mutation: "Mutation", subscription: "Subscription" } as const;

/** A procedure's path (`articles.list`), for messages and the verification. */
export interface ProcedurePath {
  path: string[];
  kind: keyof typeof procedureTypes;
}

function property(checker: ts.TypeChecker, type: ts.Type, name: string): ts.Type | undefined {
  const symbol = checker.getPropertyOfType(type, name);
  return symbol ? checker.getTypeOfSymbol(symbol) : undefined;
}

function required(checker: ts.TypeChecker, type: ts.Type, path: string[], where: string): ts.Type {
  let current = type;
  for (const name of path) {
    const next = property(checker, current, name);
    if (!next) throw new Error(`${where}: no ${path.join(".")} on ${checker.typeToString(type)}`);
    current = next;
  }
  return current;
}

const header = `// The Inkwell router's procedures as a client sees them, generated from the server's router by
// @inkwell/client's build (scripts/router-types). Every input and output is spelled out, so nothing
// here refers to the server's code, its database or its validation library. The server's context
// is left out: a client never sees it.
`;

/**
 * The module that stands in for \`@inkwell/api\` in the published client:
 * \`AppRouter\` (a tRPC router type with the same procedures, inputs, outputs,
 * error shape and transformer as the server's, and no context), plus
 * \`RouterInputs\` and \`RouterOutputs\`.
 */
export function routerModule(
  checker: ts.TypeChecker,
  routerType: ts.Type,
  isStandardLibrary: (file: ts.SourceFile) => boolean,
  /** Other types of `@inkwell/api` the client re-exports (the webhook events), spelled out the same way. */
  exportedTypes: { name: string; type: ts.Type; doc: string }[] = [],
): { text: string; procedures: ProcedurePath[] } {
  const { print, text } = createTypePrinter(checker, isStandardLibrary);
  const procedures: ProcedurePath[] = [];
  const rootTypes = required(checker, routerType, ["_def", "_config", "$types"], "AppRouter");
  const errorShape = print(required(checker, rootTypes, ["errorShape"], "AppRouter"), "errorShape");
  const transformer = print(required(checker, rootTypes, ["transformer"], "AppRouter"), "transformer");

  function recordNode(record: ts.Type, path: string[]): ts.TypeLiteralNode {
    const members = checker.getPropertiesOfType(record).map((symbol) => {
      const name = symbol.getName();
      const value = checker.getTypeOfSymbol(symbol);
      return factory.createPropertySignature(undefined, name, undefined, entryNode(value, [...path, name]));
    });
    return factory.createTypeLiteralNode(members);
  }

  function entryNode(value: ts.Type, path: string[]): ts.TypeNode {
    const where = path.join(".");
    const def = property(checker, value, "_def");
    // A nested router: its record. A plain object in the record: a namespace of procedures.
    if (!def || !property(checker, def, "procedure")) {
      const nested = def && property(checker, def, "record");
      return recordNode(nested ?? value, path);
    }
    const kindType = required(checker, def, ["type"], where);
    const kind = kindType.isStringLiteral() ? kindType.value : "";
    if (!(kind in procedureTypes))
      throw new Error(`${where}: unknown procedure type ${checker.typeToString(kindType)}`);
    const procedureKind = kind as keyof typeof procedureTypes;
    procedures.push({ path, kind: procedureKind });
    const types = required(checker, def, ["$types"], where);
    return factory.createTypeReferenceNode(procedureTypes[procedureKind], [
      print(required(checker, types, ["input"], where), `${where} input`),
      print(required(checker, types, ["output"], where), `${where} output`),
    ]);
  }

  const record = recordNode(required(checker, routerType, ["_def", "record"], "AppRouter"), []);
  const procedureAlias = (name: string, trpcName: string) =>
    `type ${name}<TInput, TOutput> = ${trpcName}<{ input: TInput; output: TOutput; meta: object; errorShape: ErrorShape }>;`;

  const body = [
    header,
    'import type { inferRouterInputs, inferRouterOutputs, TRPCBuiltRouter, TRPCMutationProcedure, TRPCQueryProcedure, TRPCSubscriptionProcedure } from "@trpc/server";',
    "",
    "/** What a failed call carries: the server's error formatter's shape. */",
    `type ErrorShape = ${text(errorShape)};`,
    "",
    procedureAlias("Query", "TRPCQueryProcedure"),
    procedureAlias("Mutation", "TRPCMutationProcedure"),
    procedureAlias("Subscription", "TRPCSubscriptionProcedure"),
    "",
    "/** Inkwell's router, for `createTRPCClient<AppRouter>` and the types of every call. */",
    `export type AppRouter = TRPCBuiltRouter<{ ctx: object; meta: object; errorShape: ErrorShape; transformer: ${text(transformer)} }, ${text(record)}>;`,
    "",
    '/** Every procedure\'s input, by path: `RouterInputs["articles"]["create"]`. */',
    "export type RouterInputs = inferRouterInputs<AppRouter>;",
    "",
    '/** Every procedure\'s output, by path: `RouterOutputs["articles"]["get"]`. */',
    "export type RouterOutputs = inferRouterOutputs<AppRouter>;",
    "",
    ...exportedTypes.flatMap(({ name, type, doc }) => [
      `/** ${doc} */`,
      `export type ${name} = ${text(print(type, name))};`,
      "",
    ]),
  ].join("\n");
  return { text: body, procedures };
}
