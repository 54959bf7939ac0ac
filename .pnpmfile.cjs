// pnpm hooks. beforePacking shapes the package.json that `pnpm pack` / `pnpm publish` put in a tarball
// (the workspace's own files are left as they are): what an installed package does not need goes.
module.exports = {
  hooks: {
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
