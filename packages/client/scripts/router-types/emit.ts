// Writes generated/app-router.d.ts: the server's router as the published client declares it (see
// router-module.ts), then proves it matches the server's types procedure by procedure.
// Run by `pnpm --filter @inkwell/client build`; needs TypeScript's compiler API, hence TypeScript 5.9.
import { mkdir, rm, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { routerModule } from "./router-module.ts";
import { verificationFailures, verificationModule } from "./verify.ts";

const packageRoot = fileURLToPath(new URL("../../", import.meta.url));
const workspaceRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const routerFile = `${workspaceRoot}packages/api/src/root.ts`;
const outDir = `${packageRoot}generated/`;
const outFile = `${outDir}app-router.d.ts`;
const verificationFile = `${outDir}verify-app-router.ts`;

function workspaceOptions(): ts.CompilerOptions {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    `${workspaceRoot}tsconfig.json`,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
      },
    },
  );
  if (!parsed) throw new Error("cannot read the workspace's tsconfig.json");
  return { ...parsed.options, noEmit: true, incremental: false, tsBuildInfoFile: undefined };
}

const options = workspaceOptions();
const program = ts.createProgram({ rootNames: [routerFile], options });
const checker = program.getTypeChecker();
const rootModule = program.getSourceFile(routerFile);
const moduleSymbol = rootModule && checker.getSymbolAtLocation(rootModule);
const appRouter = moduleSymbol && checker.getExportsOfModule(moduleSymbol).find((s) => s.getName() === "appRouter");
if (!appRouter) throw new Error(`no appRouter exported from ${routerFile}`);

const eventsFile = `${workspaceRoot}packages/api/src/webhooks/events.ts`;
const eventsModule = program.getSourceFile(eventsFile);
const eventsSymbol = eventsModule && checker.getSymbolAtLocation(eventsModule);
const exportedType = (name: string) => {
  const symbol = eventsSymbol && checker.getExportsOfModule(eventsSymbol).find((s) => s.getName() === name);
  if (!symbol) throw new Error(`no type ${name} exported from ${eventsFile}`);
  const declared = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  return checker.getDeclaredTypeOfSymbol(declared);
};

const { text, procedures } = routerModule(
  checker,
  checker.getTypeOfSymbol(appRouter),
  (file) => program.isSourceFileDefaultLibrary(file),
  [
    {
      name: "WebhookEventType",
      type: exportedType("WebhookEventType"),
      doc: "The events a webhook endpoint can receive.",
    },
    {
      name: "WebhookEvent",
      type: exportedType("WebhookEvent"),
      doc: "The body of one webhook delivery, typed by its `type`.",
    },
  ],
);

await mkdir(outDir, { recursive: true });
await writeFile(outFile, text);
await writeFile(verificationFile, verificationModule("./app-router.js", procedures));
try {
  const verification = ts.createProgram({
    rootNames: [routerFile, verificationFile],
    options,
    oldProgram: program,
  });
  const failures = verificationFailures(verification, verificationFile);
  if (failures.length > 0) {
    console.error(`The generated router types differ from the server's:\n  ${failures.join("\n  ")}`);
    process.exit(1);
  }
} finally {
  await rm(verificationFile, { force: true });
}
console.log(
  `${outFile}: ${procedures.length} procedures, ${Buffer.byteLength(text)} bytes, same types as the server's`,
);
