// Packing one stage: the form's choices, the destination, the progress with
// Cancel, the "replace it?" question and the result. One PackJob belongs to
// one open "Prepare package" panel, which creates it; the core does the work
// and decides (blockers, an existing destination), this class only follows.

import { toAppError, type AppError } from "../errors";
import type { Backend } from "../backend";
import type { PackFormat } from "../bindings/PackFormat";
import type { PackSummary } from "../bindings/PackSummary";
import type { Progress } from "../bindings/Progress";
import type { StageReport } from "../bindings/StageReport";
import { i18n, t } from "../i18n/i18n.svelte";
import { newJobId } from "./jobs";

export type PackStep =
  | { name: "form" }
  /** The save or folder dialog is open. */
  | { name: "choosing" }
  | { name: "packing"; progress: Progress | null; cancelling: boolean }
  /** The destination exists: replace it? */
  | { name: "replace"; out: string }
  | { name: "done"; summary: PackSummary }
  | { name: "cancelled" }
  | { name: "failed"; error: AppError };

/**
 * The requirements that keep a stage from being packed, as the core counts
 * them: any item with a problem or waiting for a date, and required items
 * still missing.
 */
export function blockersOf(stage: StageReport): StageReport["requirements"] {
  return stage.requirements.filter(
    (r) =>
      r.status === "problem" || r.status === "needs-date" || (r.status === "missing" && r.presence === "required"),
  );
}

/** What a PackJob asks of the Rust side. */
export type PackBackend = Pick<
  Backend,
  "packageName" | "pickSavePath" | "pickExisting" | "joinPath" | "cancelJob" | "revealInFolder" | "packStage"
>;

export class PackJob {
  format = $state<PackFormat>("zip");
  /** Pack although the stage has blockers; the package then says it is incomplete. */
  allowIncomplete = $state(false);
  step = $state.raw<PackStep>({ name: "form" });
  /** Whether a job is under way (dialog, packing or the replace question). */
  readonly busy = $derived(
    this.step.name === "choosing" || this.step.name === "packing" || this.step.name === "replace",
  );

  readonly #dossierId: () => string;
  readonly #stage: () => StageReport;
  #jobId = "";

  readonly #backend: PackBackend;

  constructor(params: { dossierId: () => string; stage: () => StageReport; backend: PackBackend }) {
    this.#dossierId = params.dossierId;
    this.#stage = params.stage;
    this.#backend = params.backend;
  }

  /** Asks where to write the package, then packs. */
  async start(): Promise<void> {
    if (this.busy) return;
    const format = this.format;
    this.step = { name: "choosing" };
    let out: string | null;
    try {
      const name = await this.#backend.packageName(this.#dossierId(), this.#stage().id);
      const stageName = i18n.text(this.#stage().name);
      if (format === "zip") {
        out = await this.#backend.pickSavePath({
          title: t("package.save-title", { stage: stageName }),
          defaultName: `${name}.zip`,
          filter: { name: t("package.zip-filter"), extensions: ["zip"] },
        });
      } else {
        const parent = await this.#backend.pickExisting({ title: t("package.folder-title", { stage: stageName }), directory: true });
        out = parent === null ? null : await this.#backend.joinPath(parent, name);
      }
    } catch (e) {
      this.step = { name: "failed", error: toAppError(e) };
      return;
    }
    if (out === null) {
      this.step = { name: "form" };
      return;
    }
    // The save dialog has already asked before replacing a file (on every
    // platform); a folder chosen by its parent has not, so the core asks.
    await this.run(out, format === "zip");
  }

  /** Answers "replace it?" with yes. */
  async replace(): Promise<void> {
    if (this.step.name !== "replace") return;
    await this.run(this.step.out, true);
  }

  /** Stops the running pack; the core removes what it wrote. */
  async cancel(): Promise<void> {
    if (this.step.name !== "packing" || this.step.cancelling) return;
    this.step = { ...this.step, cancelling: true };
    try {
      await this.#backend.cancelJob(this.#jobId);
    } catch (e) {
      this.step = { name: "failed", error: toAppError(e) };
    }
  }

  /** Back to the form, e.g. after "replace it?" was answered no. */
  reset(): void {
    if (this.step.name === "packing") return;
    this.step = { name: "form" };
  }

  async reveal(path: string): Promise<void> {
    try {
      await this.#backend.revealInFolder(path);
    } catch (e) {
      this.step = { name: "failed", error: toAppError(e) };
    }
  }

  private async run(out: string, force: boolean): Promise<void> {
    this.#jobId = newJobId("pack");
    this.step = { name: "packing", progress: null, cancelling: false };
    const request = {
      jobId: this.#jobId,
      dossierId: this.#dossierId(),
      stageId: this.#stage().id,
      out,
      format: this.format,
      allowIncomplete: this.allowIncomplete,
      force,
      lang: i18n.lang,
    };
    try {
      const summary = await this.#backend.packStage(request, (progress) => {
        if (this.step.name === "packing") this.step = { ...this.step, progress };
      });
      this.step = { name: "done", summary };
    } catch (e) {
      const error = toAppError(e);
      if (error.kind === "core" && error.error.code === "destination-exists") this.step = { name: "replace", out };
      else if (error.kind === "core" && error.error.code === "cancelled") this.step = { name: "cancelled" };
      else this.step = { name: "failed", error };
    }
  }
}
