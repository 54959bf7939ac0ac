// openapi-typescript prints the types it generates through TypeScript's compiler API, a peer (typescript ^5). The
// workspace compiles with TypeScript 7, which has no such API. As a peer, a TypeScript 5 would also be installed
// beside apps/server's other packages and become the peer of @trpc/server there: two copies of @trpc/server, and
// `instanceof TRPCError` failing between them. So openapi-typescript gets its own TypeScript as a plain dependency,
// seen by nothing else (apps/server's client-generation test).
module.exports = {
  hooks: {
    readPackage(pkg) {
      if (pkg.name === "openapi-typescript") {
        delete pkg.peerDependencies?.typescript;
        pkg.dependencies = { ...pkg.dependencies, typescript: "5.9.3" };
      }
      return pkg;
    },
  },
};
