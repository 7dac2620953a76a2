// The app's state: which screen is shown, the dossiers, the open dossier's
// report, what is being worked on, and the current error. Components read it
// and call its methods; only this class talks to the backend for dossier data.

import { toAppError, type AppError } from "../errors";
import type { Backend, FileDrag } from "../backend";
import type { DossierReport } from "../bindings/DossierReport";
import type { ProgramListing } from "../bindings/ProgramListing";
import type { RequirementReport } from "../bindings/RequirementReport";
import type { RulePack } from "../bindings/RulePack";
import type { Settings } from "../bindings/Settings";
import { canCombine } from "../fixes";
import { i18n, initialLanguage, t } from "../i18n/i18n.svelte";
import { kindLabel } from "../messages";
import { initialStage } from "../report";
import { ThemeState } from "./theme.svelte";

export type Screen =
  | { name: "list" }
  | { name: "dossier"; dossierId: string }
  | { name: "about" }
  | { name: "settings" };

/** What is happening to one requirement right now. */
export type Activity = "attaching" | "removing" | "confirming" | "undoing" | "dating" | "renaming";

/** Gentle, non-error messages that disappear on their own. */
export type Hint = "drop-outside" | "drop-no-dossier" | "drop-first-only" | "already-open";

const HINT_MS = 6000;

export class AppState {
  readonly #backend: Backend;
  /** The colour theme, saved through the backend. */
  readonly theme: ThemeState;

  constructor(backend: Backend) {
    this.#backend = backend;
    this.theme = new ThemeState(backend);
  }

  /** False until settings, programs and dossiers are loaded. */
  ready = $state(false);
  screen = $state.raw<Screen>({ name: "list" });
  settings = $state.raw<Settings | null>(null);
  programs = $state.raw<RulePack[]>([]);
  /** Each program's status and review dates for today, from the core. */
  listings = $state.raw<ProgramListing[]>([]);
  dossiers = $state.raw<DossierReport[]>([]);
  /** The open dossier's checklist (null on the list screen or while loading). */
  report = $state.raw<DossierReport | null>(null);
  /** The stage shown in the dossier view. */
  stageId = $state<string | null>(null);
  /** The requirement to bring into view and focus (after "next action"). */
  focusRequirement = $state<string | null>(null);
  /** Per requirement id of the open dossier. */
  activity = $state<Record<string, Activity>>({});
  error = $state.raw<AppError | null>(null);
  hint = $state<Hint | null>(null);
  /**
   * A first run without a keychain: nothing private exists yet, so the
   * start screen shows the programs, and the passphrase is asked when the
   * first private thing is made (`askKey`), then that action goes on.
   */
  keyNeeded = $state(false);
  askKey = $state(false);
  #afterKey: (() => Promise<unknown>) | null = null;
  /** Said to screen readers after an action. */
  announcement = $state("");
  /** Files are being dragged over the window. */
  dragging = $state(false);
  /** The document card under a drag. */
  dropTarget = $state<string | null>(null);
  /** Several files dropped on a document requirement: set by the fixing state, which makes one PDF of them. */
  onSeveralFiles: ((requirement: RequirementReport, paths: string[]) => void) | null = null;

  #hintTimer: ReturnType<typeof setTimeout> | undefined;
  /** The screen (and stage) the About screen returns to. */
  #beforeAbout: { screen: Screen; stageId: string | null } = { screen: { name: "list" }, stageId: null };
  /** A file dialog is open (one at a time). */
  #picking = false;
  /** Raised by every change; a quiet refresh started before one is stale. */
  #generation = 0;

  /** Loads everything the first screen needs. */
  async start(): Promise<void> {
    const system = navigator.languages ?? [navigator.language];
    // Speak the system's language from the first frame; the saved choice follows.
    // A language picked on the unlock screen wins, and is saved now that the folder is open.
    const picked = i18n.picked;
    i18n.picked = null;
    i18n.use(picked ?? initialLanguage(null, system));
    try {
      const settings = await this.#backend.settings().catch((e: unknown) => {
        this.fail(e);
        return null;
      });
      this.settings = settings;
      i18n.use(picked ?? initialLanguage(settings?.language, system));
      if (picked && picked !== settings?.language) void this.#backend.setLanguage(picked).catch((e: unknown) => this.fail(e));
      this.theme.use(settings?.theme ?? "system");
      const [programs, listings, dossiers] = await Promise.all([
        this.#backend.programs(),
        this.#backend.programListings(),
        this.#backend.listDossiers(),
      ]);
      this.programs = programs;
      this.listings = listings;
      this.dossiers = dossiers;
      // Deadline reminders are sent by the shell; let the system show them
      // (macOS asks the user once). Without permission the app works the same.
      void this.#backend.allowNotifications().catch(() => undefined);
    } catch (e) {
      this.fail(e);
    } finally {
      this.ready = true;
    }
  }

  program(id: string): RulePack | undefined {
    return this.programs.find((p) => p.id === id);
  }

  /** The program's status and review dates, as the core works them out. */
  listing(id: string): ProgramListing | undefined {
    return this.listings.find((p) => p.id === id);
  }

  /** Reads the programs again (after a rule-pack update). */
  async reloadPrograms(): Promise<void> {
    const [programs, listings] = await Promise.all([this.#backend.programs(), this.#backend.programListings()]);
    this.programs = programs;
    this.listings = listings;
  }

  // ------------------------------------------------------------ navigation

  async openDossier(dossierId: string): Promise<void> {
    this.clearTransient();
    const cached = this.dossiers.find((d) => d.dossier.id === dossierId) ?? null;
    this.screen = { name: "dossier", dossierId };
    this.report = cached;
    this.stageId = cached ? initialStage(cached) : null;
    try {
      const report = await this.#backend.dossierReport(dossierId);
      if (this.isOpen(dossierId)) {
        this.report = report;
        if (!this.stageId || !report.stages.some((s) => s.id === this.stageId)) this.stageId = initialStage(report);
      }
    } catch (e) {
      this.fail(e);
      if (!cached) await this.backToList();
    }
  }

  async backToList(): Promise<void> {
    this.clearTransient();
    this.screen = { name: "list" };
    this.report = null;
    this.stageId = null;
    await this.refreshList();
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
    await this.openDossier(screen.dossierId);
    // Back on the stage that was shown.
    if (stageId && this.report?.stages.some((s) => s.id === stageId)) this.stageId = stageId;
  }

  /** Opens the data folder in the file manager; false when the system could not. */
  async openDataDir(): Promise<boolean> {
    try {
      await this.#backend.openDataDir();
      return true;
    } catch {
      return false;
    }
  }

  selectStage(stageId: string): void {
    this.stageId = stageId;
  }

  /** Shows the stage holding a requirement and brings the requirement into view. */
  jumpTo(stageId: string, requirementId: string): void {
    this.stageId = stageId;
    this.focusRequirement = requirementId;
  }

  /**
   * Reloads what is shown, quietly: the CLI may have changed the data while
   * the window was in the background.
   */
  async refresh(): Promise<void> {
    if (!this.ready || this.#picking || Object.keys(this.activity).length > 0) return;
    const screen = this.screen;
    const generation = this.#generation;
    if (screen.name === "list") {
      await this.refreshList();
      return;
    }
    if (screen.name !== "dossier") return;
    try {
      const report = await this.#backend.dossierReport(screen.dossierId);
      if (this.isOpen(screen.dossierId) && generation === this.#generation) this.report = report;
    } catch {
      // Not worth an alert: the next action on the dossier reports any real problem.
    }
  }

  // ------------------------------------------------------------ dossiers

  async refreshList(): Promise<void> {
    try {
      this.dossiers = await this.#backend.listDossiers();
    } catch (e) {
      this.fail(e);
    }
  }

  /**
   * True when `action` must wait for a passphrase to be chosen first: the
   * unlock screen is shown, and `keyChosen` runs the action afterwards.
   */
  needsKeyFirst(action: () => Promise<unknown>): boolean {
    if (!this.keyNeeded) return false;
    this.#afterKey = action;
    this.askKey = true;
    return true;
  }

  /** The passphrase was chosen: the data folder is open; go on with what was asked. */
  async keyChosen(): Promise<void> {
    this.keyNeeded = false;
    this.askKey = false;
    const action = this.#afterKey;
    this.#afterKey = null;
    await action?.();
  }

  /** The user went back from choosing a passphrase: nothing was made. */
  keyDeclined(): void {
    this.askKey = false;
    this.#afterKey = null;
  }

  /** Creates a dossier and opens it; false when it could not be created. */
  async create(programId: string, applicantName: string, closedProgramOk = false): Promise<boolean> {
    if (this.needsKeyFirst(() => this.create(programId, applicantName, closedProgramOk))) return false;
    try {
      const report = await this.#backend.createDossier(programId, applicantName.trim(), closedProgramOk);
      this.error = null;
      this.dossiers = [report, ...this.dossiers.filter((d) => d.dossier.id !== report.dossier.id)];
      this.screen = { name: "dossier", dossierId: report.dossier.id };
      this.report = report;
      this.stageId = initialStage(report);
      this.announce(t("announce.created", { name: report.dossier.applicantName }));
      return true;
    } catch (e) {
      this.fail(e);
      return false;
    }
  }

  /** Records the applicant's citizenships and residence; the checklist then fits them. */
  async setProfile(citizenships: readonly string[], residence: string | null): Promise<boolean> {
    const dossierId = this.openId();
    if (!dossierId) return false;
    try {
      const report = await this.#backend.setProfile(dossierId, citizenships, residence);
      this.#generation += 1;
      this.error = null;
      this.dossiers = this.dossiers.map((d) => (d.dossier.id === dossierId ? report : d));
      if (this.isOpen(dossierId)) this.report = report;
      this.announce(t("profile.saved"));
      return true;
    } catch (e) {
      this.fail(e);
      return false;
    }
  }

  async remove(dossierId: string): Promise<void> {
    try {
      const name = this.dossiers.find((d) => d.dossier.id === dossierId)?.dossier.applicantName ?? "";
      await this.#backend.deleteDossier(dossierId);
      this.dossiers = this.dossiers.filter((d) => d.dossier.id !== dossierId);
      this.announce(t("announce.deleted", { name }));
      await this.backToList();
    } catch (e) {
      this.fail(e);
    }
  }

  // ------------------------------------------------------------ requirements

  /**
   * Attaches a file to a document requirement: `path` from a drop, or chosen
   * in the native dialog when absent.
   */
  async attach(requirement: RequirementReport, path?: string): Promise<void> {
    const dossierId = this.openId();
    if (!dossierId || this.activity[requirement.id]) return;
    let chosen = path ?? null;
    if (chosen === null) {
      if (this.#picking) return;
      this.#picking = true;
      try {
        chosen = await this.#backend.pickDocument(requirement.accepts, {
          title: t("dialog.title", { name: i18n.text(requirement.name) }),
          accepted: t("dialog.accepted", { kinds: requirement.accepts.map(kindLabel).join(", ") }),
          all: t("dialog.all"),
        });
      } catch (e) {
        this.fail(e);
        return;
      } finally {
        this.#picking = false;
      }
      if (chosen === null) return;
    }
    await this.run(dossierId, requirement.id, "attaching", () =>
      this.#backend.attachDocument(dossierId, requirement.id, chosen),
    );
  }

  async detach(requirement: RequirementReport): Promise<void> {
    const dossierId = this.openId();
    if (!dossierId) return;
    await this.run(dossierId, requirement.id, "removing", () => this.#backend.detachDocument(dossierId, requirement.id));
  }

  async confirm(requirement: RequirementReport, date: string): Promise<void> {
    const dossierId = this.openId();
    if (!dossierId) return;
    await this.run(dossierId, requirement.id, "confirming", () =>
      this.#backend.confirmStep(dossierId, requirement.id, date),
    );
  }

  /** Records the dates read off a document (YYYY-MM-DD or null); the report then judges them. */
  async setDates(requirement: RequirementReport, issued: string | null, expires: string | null): Promise<void> {
    const dossierId = this.openId();
    if (!dossierId) return;
    await this.run(dossierId, requirement.id, "dating", () =>
      this.#backend.setDocumentDates(dossierId, requirement.id, issued, expires),
    );
  }

  /** Writes the applicant's name as `name` (offered from the passport's zone on `requirement`). */
  async renameApplicant(requirement: RequirementReport, name: string): Promise<void> {
    const dossierId = this.openId();
    if (!dossierId) return;
    await this.run(dossierId, requirement.id, "renaming", () => this.#backend.renameDossier(dossierId, name));
  }

  /** Takes a report made in the background (inspection), unless a change is under way. */
  takeReport(report: DossierReport): void {
    const dossierId = report.dossier.id;
    this.dossiers = this.dossiers.map((d) => (d.dossier.id === dossierId ? report : d));
    if (!this.isOpen(dossierId)) return;
    if (Object.keys(this.activity).length > 0) {
      // The change's own report comes after and reads the same verdicts.
      return;
    }
    this.#generation += 1;
    this.report = report;
  }

  async undo(requirement: RequirementReport): Promise<void> {
    const dossierId = this.openId();
    if (!dossierId) return;
    await this.run(dossierId, requirement.id, "undoing", () => this.#backend.unconfirmStep(dossierId, requirement.id));
  }

  /** Runs one change to a requirement, marking it busy and taking the fresh report. */
  async run(
    dossierId: string,
    requirementId: string,
    activity: Activity,
    change: () => Promise<DossierReport>,
  ): Promise<void> {
    if (this.activity[requirementId]) return;
    this.#generation += 1;
    this.activity = { ...this.activity, [requirementId]: activity };
    try {
      const report = await change();
      this.#generation += 1;
      this.error = null;
      this.dossiers = this.dossiers.map((d) => (d.dossier.id === dossierId ? report : d));
      if (this.isOpen(dossierId)) {
        this.report = report;
        const updated = report.stages.flatMap((s) => s.requirements).find((r) => r.id === requirementId);
        if (updated) this.announce(announcement(activity, updated, report.dossier.applicantName));
      }
    } catch (e) {
      this.fail(e);
    } finally {
      const { [requirementId]: _done, ...rest } = this.activity;
      this.activity = rest;
    }
  }

  // ------------------------------------------------------------ drag and drop

  /** Follows a file drag; `target` is the document card under the pointer, if any. */
  async drag(drag: FileDrag, target: string | null): Promise<void> {
    if (drag.type === "leave") {
      this.dragging = false;
      this.dropTarget = null;
      return;
    }
    if (drag.type === "over") {
      this.dragging = true;
      this.dropTarget = target;
      return;
    }
    this.dragging = false;
    this.dropTarget = null;
    const first = drag.paths[0];
    if (first === undefined) return;
    const requirement = target
      ? this.report?.stages.flatMap((s) => s.requirements).find((r) => r.id === target && r.kind === "document")
      : undefined;
    if (!this.report || !requirement) {
      this.showHint(this.screen.name === "dossier" ? "drop-outside" : "drop-no-dossier");
      return;
    }
    if (drag.paths.length > 1 && this.onSeveralFiles && canCombine(requirement)) {
      // A document is one file: several become one PDF, shown as pages first.
      this.onSeveralFiles(requirement, drag.paths);
      return;
    }
    if (drag.paths.length > 1) this.showHint("drop-first-only");
    await this.attach(requirement, first);
  }

  // ------------------------------------------------------------ messages

  fail(e: unknown): void {
    this.error = toAppError(e);
  }

  dismissError(): void {
    this.error = null;
  }

  showHint(hint: Hint): void {
    this.hint = hint;
    clearTimeout(this.#hintTimer);
    this.#hintTimer = setTimeout(() => (this.hint = null), HINT_MS);
  }

  dismissHint(): void {
    clearTimeout(this.#hintTimer);
    this.hint = null;
  }

  announce(message: string): void {
    // Clearing first makes screen readers repeat an identical message.
    this.announcement = "";
    queueMicrotask(() => (this.announcement = message));
  }

  async chooseLanguage(lang: string): Promise<void> {
    try {
      await i18n.choose(lang, (chosen) => this.#backend.setLanguage(chosen));
    } catch (e) {
      this.fail(e);
    }
  }

  async chooseTheme(choice: string): Promise<void> {
    try {
      await this.theme.choose(choice);
    } catch (e) {
      this.fail(e);
    }
  }

  // ------------------------------------------------------------ internals

  private openId(): string | null {
    return this.screen.name === "dossier" ? this.screen.dossierId : null;
  }

  private isOpen(dossierId: string): boolean {
    return this.screen.name === "dossier" && this.screen.dossierId === dossierId;
  }

  private clearTransient(): void {
    this.error = null;
    this.focusRequirement = null;
    this.dismissHint();
  }
}

function announcement(activity: Activity, r: RequirementReport, applicantName: string): string {
  const name = i18n.text(r.name);
  switch (activity) {
    case "attaching":
      if (r.status === "needs-date") return t("announce.attached-needs-date", { name });
      return r.status === "ok" ? t("announce.attached-ok", { name }) : t("announce.attached-problem", { name });
    case "removing":
      return t("announce.removed", { name });
    case "confirming":
      return t("announce.confirmed", { name });
    case "undoing":
      return t("announce.undone", { name });
    case "dating":
      return r.status === "problem" ? t("announce.dated-problem", { name }) : t("announce.dated", { name });
    case "renaming":
      return t("announce.renamed", { name: applicantName });
  }
}
