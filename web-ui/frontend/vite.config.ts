import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// The portal is served by the web-ui Quarkus service from META-INF/resources; the build script copies dist/ there.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    // the budget is checked by scripts/check-bundle-budget.mjs on gzip sizes; this only quiets Vite's own warning
    chunkSizeWarningLimit: 600,
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["src/test/setup.ts"],
    css: false,
  },
});
