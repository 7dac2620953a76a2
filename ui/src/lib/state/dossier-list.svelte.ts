// The dossiers of the start screen, as the core last listed them. Changes
// elsewhere put their fresh report here so the list never shows a stale one.

import type { Backend } from "../backend";
import type { DossierReport } from "../bindings/DossierReport";
import type { Notices } from "./notices.svelte";

export class DossierList {
  dossiers = $state.raw<DossierReport[]>([]);

  readonly #backend: Pick<Backend, "listDossiers">;
  readonly #notices: Pick<Notices, "fail">;

  constructor(backend: Pick<Backend, "listDossiers">, notices: Pick<Notices, "fail">) {
    this.#backend = backend;
    this.#notices = notices;
  }

  /** Lists the dossiers again; a failure is shown, the old list stays. */
  async refresh(): Promise<void> {
    try {
      this.dossiers = await this.#backend.listDossiers();
    } catch (e) {
      this.#notices.fail(e);
    }
  }

  find(dossierId: string): DossierReport | undefined {
    return this.dossiers.find((d) => d.dossier.id === dossierId);
  }

  /** Puts a dossier just made first in the list. */
  add(report: DossierReport): void {
    const id = report.dossier.id;
    this.dossiers = [report, ...this.dossiers.filter((d) => d.dossier.id !== id)];
  }

  /** Replaces the dossier's entry with a fresh report; a dossier not listed stays unlisted. */
  replace(report: DossierReport): void {
    const id = report.dossier.id;
    this.dossiers = this.dossiers.map((d) => (d.dossier.id === id ? report : d));
  }

  drop(dossierId: string): void {
    this.dossiers = this.dossiers.filter((d) => d.dossier.id !== dossierId);
  }
}
