// PDF pages for the in-app preview, drawn by pdf.js. An attached PDF is
// untrusted input, so pdf.js is set up to only draw it: no scripting, forms
// or links (no annotation layer: pages are pixels on a canvas), no XFA, no
// WebAssembly, nothing fetched from outside the app. pdf.js itself is loaded
// on the first preview, so it costs nothing at start-up.
//
// The legacy build: the app supports WebKit back to Safari 15 (macOS 10.15,
// see vite.config.ts), and the modern build calls newer APIs
// (Map.prototype.getOrInsertComputed, Math.sumPrecise…) that only recent
// WebKits have. The parsing runs in pdf.js's worker, bundled by Vite.

import type { PDFDocumentProxy, RenderTask } from "pdfjs-dist/legacy/build/pdf.mjs";
import workerUrl from "pdfjs-dist/legacy/build/pdf.worker.min.mjs?url";

export type { PDFDocumentProxy };

/** Why a PDF cannot be shown. */
export type PdfFailure = "encrypted" | "broken";

/** Images larger than this many pixels are left out of a page (a 600 dpi A4 scan is 35 MP). */
const MAX_IMAGE_PIXELS = 64 * 1024 * 1024;

type PdfJs = typeof import("pdfjs-dist/legacy/build/pdf.mjs");
let library: Promise<PdfJs> | undefined;

function pdfjs(): Promise<PdfJs> {
  library ??= import("pdfjs-dist/legacy/build/pdf.mjs").then((lib) => {
    lib.GlobalWorkerOptions.workerSrc = workerUrl;
    return lib;
  });
  return library;
}

/** An open PDF, and how to let go of it (its worker's memory). */
export interface OpenPdf {
  doc: PDFDocumentProxy;
  close(): void;
}

/**
 * Opens `bytes` (taken over: the buffer moves to the worker). Rejects with a
 * `PdfFailure`: "encrypted" for a password-protected file (never prompting),
 * "broken" for anything pdf.js cannot read.
 */
export async function openPdf(bytes: ArrayBuffer): Promise<OpenPdf> {
  const lib = await pdfjs();
  const task = lib.getDocument({
    data: new Uint8Array(bytes),
    // The CSP has no 'wasm-unsafe-eval': use the plain-JS image decoders,
    // served by the app itself (vite.config.ts, pdfjsDecoders).
    useWasm: false,
    wasmUrl: new URL("pdfjs/", document.baseURI).href,
    // Fonts a PDF does not embed (the standard 14) fall back to system
    // fonts instead of pdf.js's font files, which are not bundled.
    useSystemFonts: true,
    enableXfa: false,
    maxImageSize: MAX_IMAGE_PIXELS,
    // Quiet: warnings about a damaged file are not the user's business here.
    verbosity: lib.VerbosityLevel.ERRORS,
  });
  try {
    const doc = await task.promise;
    // pdf.js rebuilds what it can of a damaged file; no page at all is broken.
    if (doc.numPages < 1) throw new Error("no pages");
    return { doc, close: () => void task.destroy() };
  } catch (e) {
    void task.destroy();
    throw failure(e);
  }
}

/** The kind of failure behind a pdf.js error. */
export function failure(error: unknown): PdfFailure {
  return error instanceof Error && error.name === "PasswordException" ? "encrypted" : "broken";
}

/** Whether `error` only says a render was cancelled (by a newer one). */
export function isCancelled(error: unknown): boolean {
  return error instanceof Error && error.name === "RenderingCancelledException";
}

/**
 * Draws page `number` on `canvas`, `cssWidth` CSS pixels wide and sharp on
 * high-density screens. Returns the running task, so a newer render can
 * cancel it.
 */
export async function renderPage(
  doc: PDFDocumentProxy,
  number: number,
  canvas: HTMLCanvasElement,
  cssWidth: number,
): Promise<RenderTask> {
  const page = await doc.getPage(number);
  const scale = cssWidth / page.getViewport({ scale: 1 }).width;
  const ratio = window.devicePixelRatio || 1;
  const viewport = page.getViewport({ scale: scale * ratio });
  canvas.width = Math.floor(viewport.width);
  canvas.height = Math.floor(viewport.height);
  canvas.style.width = `${Math.floor(viewport.width / ratio)}px`;
  canvas.style.height = `${Math.floor(viewport.height / ratio)}px`;
  return page.render({ canvas, viewport });
}
