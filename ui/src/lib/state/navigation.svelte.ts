// Which screen is shown: the start screen, one dossier (its checklist and the
// stage shown), About or Settings. Opening a dossier shows the listed report
// at once and the core's fresh one when it comes.

import type { Backend } from "../backend";
import type { DossierReport } from "../bindings/DossierReport";
import { initialStage } from "../report";
import type { DossierList } from "./dossier-list.svelte";
import type { Notices } from "./notices.svelte";

export type Screen =
  | { name: "list" }
  | { name: "dossier"; dossierId: string }
  | { name: "about" }
  | { name: "settings" };

export class Navigation {
  screen = $state.raw<Screen>({ name: "list" });
  /** The open dossier's checklist (null on the list screen or while loading). */
  report = $state.raw<DossierReport | null>(null);
  /** The stage shown in the dossier view. */
  stageId = $state<string | null>(null);
  /** The requirement to bring into view and focus (after "next action"). */
  focusRequirement = $state<string | null>(null);

  /**
   * Whether the stage shown was chosen: by the user, or kept on coming back
   * from About. The case's own stage (`followCase`) then does not replace it.
   */
  #stageChosen = false;

  /** The screen (and stage) the About screen returns to. */
  #beforeAbout: { screen: Screen; stageId: string | null } = { screen: { name: "list" }, stageId: null };

  readonly #backend: Pick<Backend, "dossierReport">;
  readonly #notices: Pick<Notices, "fail" | "clear">;
  readonly #list: Pick<DossierList, "find" | "refresh">;

  constructor(
    backend: Pick<Backend, "dossierReport">,
    notices: Pick<Notices, "fail" | "clear">,
    list: Pick<DossierList, "find" | "refresh">,
  ) {
    this.#backend = backend;
    this.#notices = notices;
    this.#list = list;
  }

  /**
   * Opens a dossier on `stageId` if given and still in its program (coming
   * back from About), else on the stage with work left. The listed report
   * is shown at once, on that stage, until the core's fresh one comes.
   */
  async openDossier(dossierId: string, stageId: string | null = null): Promise<void> {
    this.clearTransient();
    const cached = this.#list.find(dossierId) ?? null;
    const stageOf = (r: DossierReport): string | null =>
      stageId && r.stages.some((s) => s.id === stageId) ? stageId : initialStage(r);
    this.screen = { name: "dossier", dossierId };
    this.report = cached;
    this.stageId = cached ? stageOf(cached) : null;
    this.#stageChosen = stageId !== null;
    try {
      const report = await this.#backend.dossierReport(dossierId);
      if (this.isOpen(dossierId)) {
        this.report = report;
        if (!this.stageId || !report.stages.some((s) => s.id === this.stageId)) this.stageId = stageOf(report);
      }
    } catch (e) {
      // Back to the list first: leaving a screen clears its error, and this one must stay.
      if (!cached) await this.backToList();
      this.#notices.fail(e);
    }
  }

  /** Shows a dossier whose report is already at hand (one just made). */
  show(report: DossierReport): void {
    this.screen = { name: "dossier", dossierId: report.dossier.id };
    this.report = report;
    this.stageId = initialStage(report);
    this.#stageChosen = false;
  }

  async backToList(): Promise<void> {
    this.clearTransient();
    this.screen = { name: "list" };
    this.report = null;
    this.stageId = null;
    await this.#list.refresh();
  }

  /** Shows the About screen; `closeAbout` returns to the screen it was opened from. */
  openAbout(): void {
    this.openAside("about");
  }

  /** Shows the Settings screen (backups, rule packs); closed with `closeAbout` too. */
  openSettings(): void {
    this.openAside("settings");
  }

  private openAside(name: "about" | "settings"): void {
    if (this.screen.name === name) return;
    this.clearTransient();
    // Between About and Settings, "Back" still returns to where the user was working.
    if (this.screen.name !== "about" && this.screen.name !== "settings") {
      this.#beforeAbout = { screen: this.screen, stageId: this.stageId };
    }
    this.screen = { name };
  }

  async closeAbout(): Promise<void> {
    const { screen, stageId } = this.#beforeAbout;
    if (screen.name !== "dossier") {
      await this.backToList();
      return;
    }
    // Back on the stage that was shown, from the first frame.
    await this.openDossier(screen.dossierId, stageId);
  }

  selectStage(stageId: string): void {
    this.stageId = stageId;
    this.#stageChosen = true;
  }

  /**
   * Shows the stage the case is in (once the core has said which), unless
   * a stage was chosen meanwhile: a click on the stepper, or the stage the
   * user came back to from About, wins over an answer that comes later.
   */
  followCase(stageId: string): void {
    if (this.#stageChosen || !this.report?.stages.some((s) => s.id === stageId)) return;
    this.stageId = stageId;
  }

  /** Shows the stage holding a requirement and brings the requirement into view. */
  jumpTo(stageId: string, requirementId: string): void {
    this.stageId = stageId;
    this.#stageChosen = true;
    this.focusRequirement = requirementId;
  }

  /** The open dossier's id, or null on another screen. */
  openId(): string | null {
    return this.screen.name === "dossier" ? this.screen.dossierId : null;
  }

  isOpen(dossierId: string): boolean {
    return this.screen.name === "dossier" && this.screen.dossierId === dossierId;
  }

  private clearTransient(): void {
    this.#notices.clear();
    this.focusRequirement = null;
  }
}
