import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const apiTarget = process.env.INKWELL_API_URL ?? "http://127.0.0.1:3000";

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      "/trpc": apiTarget,
      "/api": apiTarget,
      "/export": apiTarget,
      "/healthz": apiTarget,
      "/readyz": apiTarget,
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
  },
});
