import { defineConfig } from "tsdown";

// The published package: ES modules and one bundled declaration file per entry point (package.json
// publishConfig.exports has one entry per subpath; add a subpath here and there). Dependencies stay
// imports; `@inkwell/api` is the generated router declaration (tsconfig.build.json), inlined.
export default defineConfig({
  entry: { index: "src/index.ts", errors: "src/errors.ts", webhooks: "src/webhooks.ts" },
  format: "esm",
  platform: "neutral",
  target: "es2022",
  tsconfig: "tsconfig.build.json",
  dts: true,
  clean: true,
});
