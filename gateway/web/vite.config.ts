import { defineConfig } from "vite";

// The gateway serves dist/index.html at / (and for any unknown non-API path) and
// the hashed files under /assets/, so the base is the site root.
export default defineConfig({
  base: "/",
  build: {
    outDir: "dist",
    assetsDir: "assets",
    emptyOutDir: true,
    // No inline polyfill script: the page stays valid under a strict
    // Content-Security-Policy (script-src 'self').
    modulePreload: { polyfill: false },
    target: "es2022",
  },
  server: {
    // `npm run dev` against a running gateway (make run), same origin for the browser.
    proxy: {
      "/graphql": "http://127.0.0.1:8000",
      "/auth": "http://127.0.0.1:8000",
      "/tiles": "http://127.0.0.1:8000",
      "/calendars": "http://127.0.0.1:8000",
    },
  },
});
