/// <reference types="vitest/config" />
import { fileURLToPath, URL } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `npm run dev` proxies the API prefixes to a running `make run` (MCB_DEV_API, default http://localhost:8000).
const apiTarget = process.env.MCB_DEV_API ?? "http://localhost:8000";

export default defineConfig({
  plugins: [react()],
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  server: {
    host: "127.0.0.1",
    proxy: { "/api": { target: apiTarget, changeOrigin: false } },
  },
  build: {
    manifest: true,
    sourcemap: false,
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        // The shell and everything pages share (API clients, hooks, formatting, small components, React, the router,
        // TanStack Query, i18n) in one chunk with the entry: a page then needs its own chunk only, instead of a
        // second round of a dozen tiny shared chunks discovered after it arrives. Heavy libraries (the chart, the
        // map projection) stay with the pages that use them.
        codeSplitting: {
          groups: [
            {
              name: "app",
              test: /[\\/](src[\\/](api|lib|components|i18n|config)[\\/]|node_modules[\\/](react|react-dom|scheduler|react-router|@tanstack|openapi-fetch|i18next|react-i18next)[\\/])/,
            },
          ],
        },
      },
    },
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}", "eslint-rules/**/*.test.js", "scripts/**/*.test.mjs"],
    passWithNoTests: false,
    css: false,
    // userEvent types key by key through React's renders: a form test takes about 1 s on an idle 2-core machine
    // and over 5 s (vitest's default limit) while other suites share the cores, so the limit leaves room for that.
    testTimeout: 20_000,
  },
});
