// Vite builds the UI from ui/ into ui/dist, which the Tauri shell embeds.
import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("./ui", import.meta.url));

export default defineConfig({
  root,
  // The Svelte config sits at the repository root, next to this file.
  plugins: [svelte({ configFile: fileURLToPath(new URL("./svelte.config.js", import.meta.url)) })],
  // Tauri loads the built files from its own protocol: relative URLs work everywhere.
  base: "./",
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
    // The core's message catalogues live outside ui/ (crates/qujat-core/locales).
    fs: { allow: [fileURLToPath(new URL(".", import.meta.url))] },
    watch: { ignored: ["**/src-tauri/**", "**/crates/**/src/**", "**/target/**"] },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "safari15",
    sourcemap: false,
  },
});
