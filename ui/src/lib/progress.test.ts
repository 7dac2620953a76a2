import { afterEach, describe, expect, it } from "vitest";
import type { Progress } from "./bindings/Progress";
import { i18n } from "./i18n/i18n.svelte";
import { progressView } from "./progress";

afterEach(() => {
  i18n.lang = "en";
});

const MB = 1024 * 1024;

function progress(fields: Partial<Progress> = {}): Progress {
  return { phase: "copying", bytesDone: 12 * MB, bytesTotal: 40 * MB, filesDone: 3, filesTotal: 10, ...fields };
}

describe("progressView", () => {
  it("names the phase given before the first report, with no numbers yet", () => {
    expect(progressView(null, "Getting ready…")).toEqual({ phase: "Getting ready…", detail: "", percent: null });
  });

  it("says the phase, files and bytes, and the share done by bytes", () => {
    expect(progressView(progress(), "starting")).toEqual({
      phase: "Copying the documents…",
      detail: "3 of 10 files · 12 MB of 40 MB",
      percent: 30,
    });
    expect(progressView(progress({ phase: "verifying", bytesDone: MB, bytesTotal: 3 * MB }), "starting")).toMatchObject({
      phase: "Checking every file…",
      percent: 33,
    });
  });

  it("rounds the share, never past 100", () => {
    expect(progressView(progress({ bytesDone: 2, bytesTotal: 3 }), "").percent).toBe(67);
    expect(progressView(progress({ bytesDone: 0 }), "").percent).toBe(0);
    expect(progressView(progress({ bytesDone: 40 * MB }), "").percent).toBe(100);
    expect(progressView(progress({ bytesDone: 41 * MB }), "").percent).toBe(100);
  });

  it("counts a phase with no bytes to do as done", () => {
    expect(progressView(progress({ bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: 0 }), "").percent).toBe(100);
  });

  it("writes numbers and sizes in the UI language", () => {
    i18n.lang = "ru";
    const view = progressView(progress({ filesDone: 1200, filesTotal: 2500, bytesDone: 1536, bytesTotal: 10 * MB + MB / 2 }), "");
    // Russian groups thousands with a no-break space and writes a decimal comma.
    expect(view.detail).toBe("Файлов: 1\u00a0200 из 2\u00a0500 · 2 КБ из 10,5 МБ");
    expect(view.phase).not.toBe("Copying the documents…");
  });
});
