// Verifying a package the user picks (a ZIP or a folder): progress with
// Cancel, then valid, not valid (what is missing, extra or altered), or not a
// package at all. One VerifyJob belongs to one "Verify a package" panel.

import { toAppError, type AppError } from "../errors";
import type { Backend } from "../backend";
import type { Progress } from "../bindings/Progress";
import type { VerifyReport } from "../bindings/VerifyReport";
import { t } from "../i18n/i18n.svelte";
import { newJobId } from "./jobs";

export type VerifyStep =
  | { name: "idle" }
  | { name: "choosing" }
  | { name: "verifying"; path: string; progress: Progress | null; cancelling: boolean }
  | { name: "done"; report: VerifyReport }
  | { name: "not-a-package"; path: string; problem: AppError }
  | { name: "cancelled" }
  | { name: "failed"; error: AppError };

/** What a VerifyJob asks of the Rust side. */
export type VerifyBackend = Pick<Backend, "pickExisting" | "verifyPackage" | "cancelJob">;

export class VerifyJob {
  step = $state.raw<VerifyStep>({ name: "idle" });
  readonly busy = $derived(this.step.name === "choosing" || this.step.name === "verifying");

  #jobId = "";
  readonly #backend: VerifyBackend;

  constructor(backend: VerifyBackend) {
    this.#backend = backend;
  }

  /** Asks for a ZIP file or a folder, then verifies it. */
  async pick(kind: "zip" | "folder"): Promise<void> {
    if (this.busy) return;
    this.step = { name: "choosing" };
    let path: string | null;
    try {
      path = await this.#backend.pickExisting(
        kind === "zip"
          ? {
              title: t("verifier.pick-zip-title"),
              directory: false,
              filters: [{ name: t("package.zip-filter"), extensions: ["zip"] }],
            }
          : { title: t("verifier.pick-folder-title"), directory: true },
      );
    } catch (e) {
      this.step = { name: "failed", error: toAppError(e) };
      return;
    }
    if (path === null) {
      this.step = { name: "idle" };
      return;
    }
    await this.verify(path);
  }

  async verify(path: string): Promise<void> {
    this.#jobId = newJobId("verify");
    this.step = { name: "verifying", path, progress: null, cancelling: false };
    try {
      const report = await this.#backend.verifyPackage(this.#jobId, path, (progress) => {
        if (this.step.name === "verifying") this.step = { ...this.step, progress };
      });
      this.step = { name: "done", report };
    } catch (e) {
      const error = toAppError(e);
      if (error.kind === "core" && (error.error.code === "not-a-package" || error.error.code === "package-data-folder")) {
        // Said as a result, not a failure: the translated reason, the library's words only as details.
        this.step = { name: "not-a-package", path: error.error.path, problem: error };
      } else if (error.kind === "core" && error.error.code === "cancelled") {
        this.step = { name: "cancelled" };
      } else {
        this.step = { name: "failed", error };
      }
    }
  }

  async cancel(): Promise<void> {
    if (this.step.name !== "verifying" || this.step.cancelling) return;
    this.step = { ...this.step, cancelling: true };
    try {
      await this.#backend.cancelJob(this.#jobId);
    } catch (e) {
      this.step = { name: "failed", error: toAppError(e) };
    }
  }

  close(): void {
    if (!this.busy) this.step = { name: "idle" };
  }
}
