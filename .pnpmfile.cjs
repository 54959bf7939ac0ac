// pnpm hooks.
//
// readPackage:
//   openapi-typescript prints the types it generates through TypeScript's compiler API, a peer (typescript ^5). The
//   workspace compiles with TypeScript 7, which has no such API. As a peer, a TypeScript 5 would also be installed
//   beside apps/server's other packages and become the peer of @trpc/server there: two copies of @trpc/server, and
//   `instanceof TRPCError` failing between them. So openapi-typescript gets its own TypeScript as a plain dependency,
//   seen by nothing else (apps/server's client-generation test). Likewise @trpc/*'s own TypeScript peer (types
//   only) goes: @inkwell/client builds with TypeScript 5.9 (scripts/router-types) while the workspace uses 7, and
//   the peer made two copies of @trpc/client, so the console's `instanceof TRPCClientError` failed on errors made
//   by the other copy and no field message reached a form.
//
// beforePacking:
//   shapes the package.json that `pnpm pack` / `pnpm publish` put in a tarball
//   (the workspace's own files are left as they are): what an installed package does not need goes.
module.exports = {
  hooks: {
    readPackage(pkg) {
      if (pkg.name?.startsWith("@trpc/")) {
        delete pkg.peerDependencies?.typescript;
        delete pkg.peerDependenciesMeta?.typescript;
      }
      if (pkg.name === "openapi-typescript") {
        delete pkg.peerDependencies?.typescript;
        pkg.dependencies = { ...pkg.dependencies, typescript: "5.9.3" };
      }
      return pkg;
    },
    beforePacking(manifest) {
      // Build-time only: the built files are in the tarball, the tools that made them are not needed.
      delete manifest.devDependencies;
      delete manifest.scripts;
      // The CLI's build bundles @inkwell/client and what it imports (apps/cli/tsdown.config.ts), so the
      // CLI's tarball installs on its own (`npm i -g`, `npx`) without the client from a registry.
      if (manifest.name === "@inkwell/cli") delete manifest.dependencies["@inkwell/client"];
      return manifest;
    },
  },
};
