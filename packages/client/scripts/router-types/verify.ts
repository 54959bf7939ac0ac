import ts from "typescript";
import type { ProcedurePath } from "./router-module.ts";

const key = (path: string[]) => path.map((name) => `[${JSON.stringify(name)}]`).join("");

/**
 * A module that compiles only if the generated router gives every procedure
 * exactly the server's input and output types (the same type, not merely
 * assignable), and the same error shape.
 */
export function verificationModule(generatedModule: string, procedures: ProcedurePath[]): string {
  const lines = [
    'import type { AppRouter as ServerRouter, RouterInputs as ServerInputs, RouterOutputs as ServerOutputs } from "@inkwell/api";',
    `import type { AppRouter, RouterInputs, RouterOutputs } from ${JSON.stringify(generatedModule)};`,
    "type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;",
    "declare function same<T extends true>(what: string): T;",
    'type Shape<R extends ServerRouter | AppRouter> = R["_def"]["_config"]["$types"]["errorShape"];',
    'same<Same<Shape<ServerRouter>, Shape<AppRouter>>>("errorShape");',
  ];
  for (const { path } of procedures) {
    const name = path.join(".");
    lines.push(`same<Same<ServerInputs${key(path)}, RouterInputs${key(path)}>>(${JSON.stringify(`${name} input`)});`);
    lines.push(
      `same<Same<ServerOutputs${key(path)}, RouterOutputs${key(path)}>>(${JSON.stringify(`${name} output`)});`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** The differences the verification module found, one line each, naming the procedure. */
export function verificationFailures(program: ts.Program, verificationFile: string): string[] {
  const file = program.getSourceFile(verificationFile);
  if (!file) throw new Error(`${verificationFile} is not in the program`);
  return program.getSemanticDiagnostics(file).map((diagnostic) => {
    const line = diagnostic.start === undefined ? -1 : file.getLineAndCharacterOfPosition(diagnostic.start).line;
    const what = /same<.*>\("(.*)"\);$/.exec(file.text.split("\n")[line] ?? "")?.[1];
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n").split("\n")[0];
    return what ? `${what} differs from the server's` : `${message}`;
  });
}
