// Issue 6 in the UI: the embassy demo with its presentation mode, the
// printable checklist, and undoing a document's removal.

import type { Backend } from "../backend";
import type { DossierReport } from "../bindings/DossierReport";
import type { RequirementReport } from "../bindings/RequirementReport";
import { i18n, t } from "../i18n/i18n.svelte";
import type { AppParts } from "./parts";

const UNDO_MS = 10_000;

export class DemoState {
  readonly #backend: Pick<Backend, "createDemo" | "resetDemo">;
  readonly #parts: Pick<AppParts, "nav" | "dossierList" | "keys" | "notices">;

  constructor(backend: Pick<Backend, "createDemo" | "resetDemo">, parts: Pick<AppParts, "nav" | "dossierList" | "keys" | "notices">) {
    this.#backend = backend;
    this.#parts = parts;
  }

  /** Large type, demo dossiers only; for this session only (never saved). */
  presentation = $state(false);
  busy = $state(false);

  /** Opens the newest demo dossier, creating one when there is none. */
  async open(): Promise<void> {
    if (this.busy) return;
    const existing = this.#parts.dossierList.dossiers.find((d) => d.dossier.isDemo);
    if (existing) {
      await this.#parts.nav.openDossier(existing.dossier.id);
      return;
    }
    if (this.#parts.keys.needsKeyFirst(() => this.open())) return;
    await this.make(() => this.#backend.createDemo(i18n.lang));
  }

  /** Deletes the demo dossiers (never a real one) and opens a fresh demo. */
  async reset(): Promise<void> {
    if (this.busy) return;
    await this.make(() => this.#backend.resetDemo(i18n.lang));
  }

  private async make(create: () => Promise<{ dossier: { id: string } }>): Promise<void> {
    this.busy = true;
    try {
      const summary = await create();
      await this.#parts.dossierList.refresh();
      await this.#parts.nav.openDossier(summary.dossier.id);
    } catch (e) {
      this.#parts.notices.fail(e);
    } finally {
      this.busy = false;
    }
  }

  setPresentation(on: boolean): void {
    this.presentation = on;
    document.documentElement.classList.toggle("presentation", on);
    // A real dossier left open would stay on screen: show the list instead.
    const nav = this.#parts.nav;
    if (on && nav.screen.name === "dossier" && nav.report && !nav.report.dossier.isDemo) void nav.backToList();
    if (on && nav.screen.name === "about") void nav.backToList();
  }

  /** The dossiers the list shows: in presentation mode, only the demo's. */
  visible(dossiers: readonly DossierReport[]): DossierReport[] {
    return this.presentation ? dossiers.filter((d) => d.dossier.isDemo) : [...dossiers];
  }
}

export class PrintState {
  readonly #backend: Pick<Backend, "pickSavePath" | "saveChecklistPdf">;
  readonly #parts: Pick<AppParts, "notices">;

  constructor(backend: Pick<Backend, "pickSavePath" | "saveChecklistPdf">, parts: Pick<AppParts, "notices">) {
    this.#backend = backend;
    this.#parts = parts;
  }

  /** The program whose checklist the print view shows, or null. */
  programId = $state<string | null>(null);
  /** The dossier whose progress the checklist ticks; null for the blank program checklist. */
  dossier = $state.raw<DossierReport | null>(null);
  saving = $state(false);
  /** Where the PDF was last saved, said in the view itself. */
  savedTo = $state<string | null>(null);

  /** Shows the checklist of a program, ticked with a dossier's progress when one is given. */
  show(programId: string, dossier: DossierReport | null = null): void {
    this.programId = programId;
    this.dossier = dossier;
    this.savedTo = null;
  }

  /** Switches to the blank checklist of the same program. */
  blank(): void {
    this.dossier = null;
  }

  close(): void {
    this.programId = null;
    this.dossier = null;
    this.savedTo = null;
  }

  /** Opens the system's print dialog for the print view. */
  print(): void {
    window.print();
  }

  /** Saves the core's checklist PDF where the user chooses. */
  async savePdf(): Promise<void> {
    const programId = this.programId;
    if (!programId || this.saving) return;
    this.saving = true;
    try {
      const path = await this.#backend.pickSavePath({
        title: t("print.save-title"),
        defaultName: `${t("checklist.title")} ${programId}.pdf`,
        filter: { name: "PDF", extensions: ["pdf"] },
      });
      if (path === null) return;
      await this.#backend.saveChecklistPdf(programId, this.dossier?.dossier.id ?? null, i18n.lang, path);
      this.savedTo = path;
      this.#parts.notices.announce(t("print.saved", { path }));
    } catch (e) {
      this.#parts.notices.fail(e);
    } finally {
      this.saving = false;
    }
  }
}

/** A removal that can still be undone. */
interface Removed {
  dossierId: string;
  requirementId: string;
  name: string;
  sha256: string;
  originalName: string;
  /** What happened to it: removed, or replaced by a fix's result. */
  how: "removed" | "replaced";
}

export class UndoRemoval {
  readonly #backend: Pick<Backend, "reattachDocument">;
  readonly #parts: Pick<AppParts, "nav" | "changes" | "notices">;

  constructor(backend: Pick<Backend, "reattachDocument">, parts: Pick<AppParts, "nav" | "changes" | "notices">) {
    this.#backend = backend;
    this.#parts = parts;
  }

  removed = $state.raw<Removed | null>(null);
  busy = $state(false);
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Removes the requirement's document, then offers to undo it for ten seconds. */
  async remove(requirement: RequirementReport): Promise<void> {
    const dossierId = this.#parts.nav.openId();
    const doc = requirement.document;
    await this.#parts.changes.detach(requirement);
    if (!dossierId || !doc) return;
    const still = this.#parts.nav.report?.stages.flatMap((s) => s.requirements).find((r) => r.id === requirement.id);
    if (still?.document) return;
    this.offer({
      dossierId,
      requirementId: requirement.id,
      name: i18n.text(requirement.name),
      sha256: doc.sha256,
      originalName: doc.originalName,
    }, "removed");
  }

  /** Offers for ten seconds to bring back a document that was removed or replaced. */
  offer(removed: Omit<Removed, "how">, how: Removed["how"]): void {
    this.removed = { ...removed, how };
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => (this.removed = null), UNDO_MS);
  }

  async undo(): Promise<void> {
    const removed = this.removed;
    if (!removed || this.busy) return;
    this.busy = true;
    clearTimeout(this.#timer);
    try {
      await this.#parts.changes.run(removed.dossierId, removed.requirementId, "attaching", () =>
        this.#backend.reattachDocument(removed.dossierId, removed.requirementId, removed.sha256, removed.originalName),
      );
      this.removed = null;
      this.#parts.notices.announce(t("undo.restored", { name: removed.name }));
    } finally {
      this.busy = false;
    }
  }

  dismiss(): void {
    clearTimeout(this.#timer);
    this.removed = null;
  }
}
