// Vite builds the UI from ui/ into ui/dist, which the Tauri shell embeds.
// Vitest (`npm test`) reads the `test` section: unit tests of ui/src/lib.
/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("./ui", import.meta.url));

/**
 * pdf.js decodes JBIG2 and JPEG 2000 images (common in scanned PDFs) with
 * WebAssembly, which the CSP does not allow, or with these plain-JS decoders,
 * which its worker imports by fixed name from `wasmUrl`. Ship them as
 * `pdfjs/<name>` (and serve them there in dev), so nothing is fetched from
 * elsewhere.
 */
function pdfjsDecoders(): Plugin {
  const dir = fileURLToPath(new URL("./node_modules/pdfjs-dist/wasm/", import.meta.url));
  const files = ["jbig2_nowasm_fallback.js", "openjpeg_nowasm_fallback.js"];
  return {
    name: "qujat-pdfjs-decoders",
    configureServer(server) {
      server.middlewares.use("/pdfjs/", (req, res, next) => {
        const name = req.url?.replace(/^\//, "").split("?")[0] ?? "";
        if (!files.includes(name)) return next();
        res.setHeader("Content-Type", "text/javascript");
        res.end(readFileSync(dir + name));
      });
    },
    generateBundle() {
      for (const name of files) {
        this.emitFile({ type: "asset", fileName: `pdfjs/${name}`, source: readFileSync(dir + name) });
      }
    },
  };
}

export default defineConfig({
  root,
  // The Svelte config sits at the repository root, next to this file.
  plugins: [svelte({ configFile: fileURLToPath(new URL("./svelte.config.js", import.meta.url)) }), pdfjsDecoders()],
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
  test: {
    // Tests sit next to the code they test (paths relative to `root`, ui/).
    include: ["src/**/*.test.ts"],
    // A fixed zone west of UTC, so local days and instants read the same on
    // every machine, and a day mistaken for UTC midnight shows as the day before.
    env: { TZ: "America/New_York" },
  },
});
