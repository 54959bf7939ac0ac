// The workspace's layering, checked by `pnpm lint` (dependency-cruiser). Each rule's comment is what a
// person reads when it fails, so it says what to do instead. Whether a package belongs under
// dependencies or devDependencies, and dependencies nothing imports, are knip's (knip.jsonc).

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "package-imports-app",
      severity: "error",
      comment:
        "A package (packages/*) never imports an app (apps/*), not even in tests: apps depend on packages, not " +
        "the other way round. Move the code that needs the app (e.g. a test that needs a running server) into an app.",
      from: { path: "^packages/" },
      to: { path: "^apps/" },
    },
    {
      name: "db-or-auth-imports-api",
      severity: "error",
      comment:
        "packages/db and packages/auth sit below packages/api and never import it. Move what they need down " +
        "into db or auth (or pass it in as an argument).",
      from: { path: "^packages/(db|auth)/" },
      to: { path: "^packages/api/" },
    },
    {
      name: "service-imports-trpc",
      severity: "error",
      comment:
        "Services (packages/api/src/services) know nothing of tRPC: they throw the domain errors of " +
        "packages/api/src/errors.ts, which trpc.ts maps to tRPC codes. Do not import @trpc/server here.",
      from: { path: "^packages/api/src/services/" },
      to: { path: "/node_modules/@trpc/server/" },
    },
    {
      name: "relative-import-across-packages",
      severity: "error",
      comment:
        "A relative import never leaves its workspace package: import the other package by its name " +
        "(@inkwell/…, through its package.json exports) and list it in this package's package.json.",
      from: { path: "^(apps|packages)/([^/]+)/" },
      to: { dependencyTypes: ["local"], pathNot: "^$1/$2/" },
    },
    {
      name: "not-in-manifest",
      severity: "error",
      comment:
        "This file imports an npm package that its own package.json does not list (it resolves only because " +
        "another package installed it). Add it to this package's dependencies, or devDependencies when only " +
        "tests, scripts and config import it.",
      from: { path: "^(apps|packages)/" },
      to: { dependencyTypes: ["npm-no-pkg", "npm-unknown"] },
    },
    {
      name: "no-circular",
      severity: "error",
      comment:
        "This import closes a cycle (the modules in it are listed below). Move what both sides need into a " +
        "module of its own that imports neither.",
      from: {},
      to: { circular: true },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      comment: "This import resolves to no file: fix the path, or install the package it names.",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Type-only imports are dependencies too: a package that reads another's types depends on it.
    tsPreCompilationDeps: true,
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["^(apps|packages)/[^/]+/dist/", "^apps/bench/results/"] },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json", ".d.ts"],
    },
  },
};
