// Words and numbers for the progress of a long job (packing, verifying).

import type { Progress } from "./bindings/Progress";
import { i18n, t } from "./i18n/i18n.svelte";

export interface ProgressView {
  /** What is happening, e.g. "Copying the documents…". */
  phase: string;
  /** "3 of 10 files · 12 MB of 40 MB"; empty before the first report. */
  detail: string;
  /** 0–100 by bytes, or null before the first report. */
  percent: number | null;
}

/** How to show `progress`; `starting` names the phase before the first report. */
export function progressView(progress: Progress | null, starting: string): ProgressView {
  if (!progress) return { phase: starting, detail: "", percent: null };
  const phase = progress.phase === "copying" ? t("package.phase-copying") : t("package.phase-verifying");
  const detail = t("package.progress", {
    files: i18n.number(progress.filesDone),
    filesTotal: i18n.number(progress.filesTotal),
    done: i18n.size(progress.bytesDone),
    total: i18n.size(progress.bytesTotal),
  });
  const percent = progress.bytesTotal > 0 ? Math.min(100, Math.round((progress.bytesDone / progress.bytesTotal) * 100)) : 100;
  return { phase, detail, percent };
}
