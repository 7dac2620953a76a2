// Inspection of the open dossier's files in the background. Whenever the
// report shows attached files without a verdict (a dossier just opened, a
// file attached or replaced), the shell inspects them in child processes
// while the window stays usable; each file done moves the "n of m"
// indicator, and the fresh report (findings, stage readiness) replaces the
// shown one at the end. Leaving the dossier cancels the job.

import type { Backend } from "../backend";
import type { DossierReport } from "../bindings/DossierReport";
import { uninspected } from "../findings";
import type { AppParts } from "./parts";
import { newJobId } from "./jobs";

export class DossierInspection {
  /**
   * Files inspected so far and in all, while a job runs, with the page of a
   * scan being read ("reading page 2 of 5"); null when idle.
   */
  progress = $state.raw<{ done: number; total: number; page?: number; pages?: number } | null>(null);
  /** A job ran in this dossier and finished (for "Documents checked"). */
  finished = $state(false);
  /** The user stopped the job (for "Checking stopped"). */
  stopped = $state(false);

  readonly #backend: Pick<Backend, "inspectDossier" | "cancelJob">;
  readonly #parts: Pick<AppParts, "nav" | "changes" | "notices">;

  constructor(backend: Pick<Backend, "inspectDossier" | "cancelJob">, parts: Pick<AppParts, "nav" | "changes" | "notices">) {
    this.#backend = backend;
    this.#parts = parts;
  }

  #job: { id: string; key: string } | null = null;
  /** The files last asked about, per dossier: a file that cannot be inspected is not asked about again and again. */
  #tried = new Set<string>();

  /** Starts a job if `report` shows files without a verdict and none runs. */
  ensure(report: DossierReport): void {
    if (this.#job) return;
    const dossierId = report.dossier.id;
    const hashes = uninspected(report.stages.flatMap((s) => s.requirements));
    if (hashes.length === 0) return;
    const key = `${dossierId}:${hashes.join(",")}`;
    if (this.#tried.has(key)) return;
    this.#tried.add(key);
    void this.#run(dossierId, key, hashes.length);
  }

  /** Stops the running job (leaving the dossier); verdicts already made stay cached. */
  stop(): void {
    const job = this.#job;
    if (!job) return;
    this.#job = null;
    this.progress = null;
    // Cut short, so asked about again when the dossier opens again.
    this.#tried.delete(job.key);
    void this.#backend.cancelJob(job.id).catch(() => undefined);
  }

  /**
   * The user stops the job: the files being read are left at once (their
   * readers are killed) and not asked about again until the dossier is
   * opened again.
   */
  cancel(): void {
    const job = this.#job;
    if (!job) return;
    this.#job = null;
    this.progress = null;
    this.stopped = true;
    void this.#backend.cancelJob(job.id).catch(() => undefined);
  }

  async #run(dossierId: string, key: string, expected: number): Promise<void> {
    const job = { id: newJobId("inspect"), key };
    this.#job = job;
    this.finished = false;
    this.stopped = false;
    this.progress = { done: 0, total: expected };
    try {
      const report = await this.#backend.inspectDossier(job.id, dossierId, (step) => {
        if (this.#job !== job) return;
        // A page step says which page of a scan is being read; a file step
        // (no page) ends that.
        this.progress =
          step.page !== undefined && step.pages !== undefined
            ? { done: step.done, total: step.total, page: step.page, pages: step.pages }
            : { done: step.done, total: step.total };
      });
      if (this.#job !== job) return;
      this.#parts.changes.takeReport(report);
      this.finished = true;
    } catch (e) {
      // A cancelled job (the dossier was left) says nothing.
      if (this.#job === job) this.#parts.notices.fail(e);
    } finally {
      if (this.#job === job) {
        this.#job = null;
        this.progress = null;
        // A file attached while this job ran waits for the next one.
        if (this.#parts.nav.report) this.ensure(this.#parts.nav.report);
      }
    }
  }
}
