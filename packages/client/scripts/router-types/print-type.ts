import ts from "typescript";

const { factory } = ts;

/** Property names written without quotes; anything else (`"content-type"`, non-ASCII) is quoted. */
const plainIdentifier = /^[A-Za-z_$][\w$]*$/;

/** A type that cannot be spelled out without the server's code; the message names where it was met. */
export class UnprintableTypeError extends Error {}

/**
 * Spells a resolved type out in full, as a type node that refers to nothing
 * but the TypeScript standard library: every alias, interface and mapped type
 * of Inkwell, Drizzle or zod becomes the object, union or literal it stands
 * for. Union members are sorted, so the text does not depend on the order in
 * which the checker happened to create them.
 *
 * What data cannot be (functions, classes, unique symbols, recursive types)
 * is refused with the path where it was found, rather than guessed at.
 */
export function createTypePrinter(checker: ts.TypeChecker, isStandardLibrary: (file: ts.SourceFile) => boolean) {
  const printer = ts.createPrinter({ removeComments: true });
  const scratch = ts.createSourceFile("print.ts", "", ts.ScriptTarget.Latest);
  const text = (node: ts.Node) => printer.printNode(ts.EmitHint.Unspecified, node, scratch);

  /** The named type of the standard library (Date, AsyncIterable, Record, …) a type is, if any. */
  function standardLibraryName(symbol: ts.Symbol | undefined): string | undefined {
    const declaration = symbol?.declarations?.[0];
    if (!symbol || !declaration) return undefined;
    return isStandardLibrary(declaration.getSourceFile()) ? symbol.getName() : undefined;
  }

  function keyword(kind: ts.KeywordTypeSyntaxKind) {
    return factory.createKeywordTypeNode(kind);
  }

  function print(type: ts.Type, path: string, open: ReadonlySet<ts.Type>): ts.TypeNode {
    const fail = (what: string): never => {
      throw new UnprintableTypeError(`${path}: ${what} (${checker.typeToString(type)}) cannot be spelled out`);
    };
    const f = type.flags;

    if (f & ts.TypeFlags.Any) return keyword(ts.SyntaxKind.AnyKeyword);
    if (f & ts.TypeFlags.Unknown) return keyword(ts.SyntaxKind.UnknownKeyword);
    if (f & ts.TypeFlags.Never) return keyword(ts.SyntaxKind.NeverKeyword);
    if (f & ts.TypeFlags.Void) return keyword(ts.SyntaxKind.VoidKeyword);
    if (f & ts.TypeFlags.Undefined) return keyword(ts.SyntaxKind.UndefinedKeyword);
    if (f & ts.TypeFlags.Null) return factory.createLiteralTypeNode(factory.createNull());
    if (f & ts.TypeFlags.String) return keyword(ts.SyntaxKind.StringKeyword);
    if (f & ts.TypeFlags.Number) return keyword(ts.SyntaxKind.NumberKeyword);
    if (f & ts.TypeFlags.BigInt) return keyword(ts.SyntaxKind.BigIntKeyword);
    if (f & ts.TypeFlags.Boolean) return keyword(ts.SyntaxKind.BooleanKeyword);
    if (f & ts.TypeFlags.ESSymbol) return keyword(ts.SyntaxKind.SymbolKeyword);
    if (f & ts.TypeFlags.NonPrimitive) return keyword(ts.SyntaxKind.ObjectKeyword);
    if (f & ts.TypeFlags.StringLiteral) {
      return factory.createLiteralTypeNode(factory.createStringLiteral((type as ts.StringLiteralType).value));
    }
    if (f & ts.TypeFlags.NumberLiteral) {
      const value = (type as ts.NumberLiteralType).value;
      const literal = factory.createNumericLiteral(Math.abs(value));
      return factory.createLiteralTypeNode(
        value < 0 ? factory.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, literal) : literal,
      );
    }
    if (f & ts.TypeFlags.BigIntLiteral) {
      const { negative, base10Value } = (type as ts.BigIntLiteralType).value;
      return factory.createLiteralTypeNode(factory.createBigIntLiteral(`${negative ? "-" : ""}${base10Value}n`));
    }
    if (f & ts.TypeFlags.BooleanLiteral) {
      return factory.createLiteralTypeNode(
        checker.typeToString(type) === "true" ? factory.createTrue() : factory.createFalse(),
      );
    }
    if (f & ts.TypeFlags.TemplateLiteral) {
      // Made of literals and primitives only, e.g. `ink_${string}`: the checker's own spelling is self-contained.
      return factory.createTypeReferenceNode(checker.typeToString(type, undefined, ts.TypeFormatFlags.NoTruncation));
    }
    if (f & ts.TypeFlags.UniqueESSymbol) fail("a unique symbol");
    if (f & ts.TypeFlags.Union) return printUnion(type as ts.UnionType, path, open);
    if (f & ts.TypeFlags.Intersection) return printIntersection(type as ts.IntersectionType, path, open);
    if (f & ts.TypeFlags.Object) return printObject(type as ts.ObjectType, path, open);
    return fail("a generic or unresolved type");
  }

  function printUnion(type: ts.UnionType, path: string, open: ReadonlySet<ts.Type>): ts.TypeNode {
    let members = type.types;
    // `boolean` is `true | false` to the checker.
    const booleans = members.filter((member) => member.flags & ts.TypeFlags.BooleanLiteral);
    const hasBoolean = booleans.length === 2;
    if (hasBoolean) members = members.filter((member) => !(member.flags & ts.TypeFlags.BooleanLiteral));
    const nodes = members.map((member) => print(member, path, open));
    if (hasBoolean) nodes.push(keyword(ts.SyntaxKind.BooleanKeyword));
    // null and undefined last, the rest in a stable order.
    const rank = (node: ts.TypeNode) =>
      node.kind === ts.SyntaxKind.UndefinedKeyword
        ? 2
        : ts.isLiteralTypeNode(node) && node.literal.kind === ts.SyntaxKind.NullKeyword
          ? 1
          : 0;
    const sorted = nodes
      .map((node) => ({ node, rank: rank(node), key: text(node) }))
      .sort((a, b) => a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map(({ node }) => parenthesizeMember(node));
    return sorted.length === 1 && sorted[0] ? sorted[0] : factory.createUnionTypeNode(sorted);
  }

  function printIntersection(type: ts.IntersectionType, path: string, open: ReadonlySet<ts.Type>): ts.TypeNode {
    // Objects that merge (zod's `.extend`, Drizzle's spreads) are printed as the one object they make.
    if (type.types.every((member) => member.flags & ts.TypeFlags.Object && !standardLibraryName(member.symbol))) {
      return printMembers(type, path, open);
    }
    return factory.createIntersectionTypeNode(
      type.types.map((member) => parenthesizeMember(print(member, path, open))),
    );
  }

  function printObject(type: ts.ObjectType, path: string, open: ReadonlySet<ts.Type>): ts.TypeNode {
    if (checker.isTupleType(type)) return printTuple(type as ts.TupleTypeReference, path, open);
    if (checker.isArrayType(type)) {
      const [element] = checker.getTypeArguments(type as ts.TypeReference);
      const array = factory.createArrayTypeNode(parenthesizeMember(print(element ?? type, `${path}[]`, open)));
      return type.symbol?.getName() === "ReadonlyArray"
        ? factory.createTypeOperatorNode(ts.SyntaxKind.ReadonlyKeyword, array)
        : array;
    }
    // Record<K, V> and friends: an alias of the standard library, kept by name.
    const aliasName = standardLibraryName(type.aliasSymbol);
    if (aliasName) {
      const args = (type.aliasTypeArguments ?? []).map((arg, i) => print(arg, `${path}<${i}>`, open));
      return factory.createTypeReferenceNode(aliasName, args.length > 0 ? args : undefined);
    }
    // Date, AsyncIterable<T>, Map<K, V>, …
    const libraryName = standardLibraryName(type.symbol);
    if (libraryName) {
      const args =
        type.objectFlags & ts.ObjectFlags.Reference ? checker.getTypeArguments(type as ts.TypeReference) : [];
      return factory.createTypeReferenceNode(
        libraryName,
        args.length > 0 ? args.map((arg, i) => print(arg, `${path}<${i}>`, open)) : undefined,
      );
    }
    if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0) {
      throw new UnprintableTypeError(`${path}: a function or class (${checker.typeToString(type)}) is not data`);
    }
    return printMembers(type, path, open);
  }

  function printTuple(type: ts.TupleTypeReference, path: string, open: ReadonlySet<ts.Type>): ts.TypeNode {
    const flags = type.target.elementFlags;
    const elements = checker.getTypeArguments(type).map((element, i) => {
      const node = print(element, `${path}[${i}]`, open);
      const flag = flags[i] ?? ts.ElementFlags.Required;
      if (flag & ts.ElementFlags.Optional) return factory.createOptionalTypeNode(parenthesizeMember(node));
      if (flag & ts.ElementFlags.Variable) return factory.createRestTypeNode(factory.createArrayTypeNode(node));
      return node;
    });
    const tuple = factory.createTupleTypeNode(elements);
    return type.target.readonly ? factory.createTypeOperatorNode(ts.SyntaxKind.ReadonlyKeyword, tuple) : tuple;
  }

  function printMembers(type: ts.Type, path: string, open: ReadonlySet<ts.Type>): ts.TypeNode {
    if (open.has(type)) throw new UnprintableTypeError(`${path}: a recursive type cannot be spelled out`);
    const inside = new Set(open).add(type);
    const members: ts.TypeElement[] = [];
    for (const info of checker.getIndexInfosOfType(type)) {
      const parameter = factory.createParameterDeclaration(
        undefined,
        undefined,
        "key",
        undefined,
        print(info.keyType, `${path}[key]`, inside),
      );
      members.push(
        factory.createIndexSignature(
          info.isReadonly ? [factory.createModifier(ts.SyntaxKind.ReadonlyKeyword)] : undefined,
          [parameter],
          print(info.type, `${path}[key]`, inside),
        ),
      );
    }
    for (const property of checker.getPropertiesOfType(type)) {
      const name = property.getName();
      if (name.startsWith("__@")) {
        throw new UnprintableTypeError(`${path}: the symbol-keyed property ${name} cannot be spelled out`);
      }
      const optional = (property.flags & ts.SymbolFlags.Optional) !== 0;
      members.push(
        factory.createPropertySignature(
          undefined,
          plainIdentifier.test(name) ? name : factory.createStringLiteral(name),
          optional ? factory.createToken(ts.SyntaxKind.QuestionToken) : undefined,
          print(checker.getTypeOfSymbol(property), `${path}.${name}`, inside),
        ),
      );
    }
    return factory.createTypeLiteralNode(members);
  }

  /** Union and intersection members, and array elements, that need parentheses to keep their meaning. */
  function parenthesizeMember(node: ts.TypeNode): ts.TypeNode {
    return ts.isUnionTypeNode(node) || ts.isIntersectionTypeNode(node) || ts.isFunctionTypeNode(node)
      ? factory.createParenthesizedType(node)
      : node;
  }

  return {
    /** The type at `path` (for messages), spelled out. */
    print: (type: ts.Type, path: string) => print(type, path, new Set()),
    text,
  };
}
