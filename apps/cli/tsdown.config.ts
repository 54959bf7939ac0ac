import { defineConfig } from "tsdown";

// The published `inkwell` command: one ES module for Node.js ≥ 20.19 (the shebang comes from src/main.ts).
// @inkwell/client is bundled in with what it imports, so the CLI's tarball installs on its own
// (`npm i -g`, `npx`); .pnpmfile.cjs drops the client from the published dependencies. The CLI's own
// npm dependencies stay imports.
export default defineConfig({
  entry: { inkwell: "src/main.ts" },
  format: "esm",
  platform: "node",
  target: "node20.19",
  fixedExtension: false,
  deps: {
    alwaysBundle: ["@inkwell/client", "@inkwell/client/webhooks"],
    // Anything else from node_modules in the bundle fails the build: list it in dependencies instead.
    onlyBundle: ["@trpc/client", "@trpc/server", "superjson", "copy-anything", "eventsource", "eventsource-parser"],
  },
  clean: true,
});
