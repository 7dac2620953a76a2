// Changes to dossiers: making, renaming, profiling and deleting one, and the
// changes to the open dossier's requirements (attach, remove, confirm, date,
// undo). Each marks its requirement busy, takes the core's fresh report and
// says what happened to screen readers; a refusal is shown as the error.

import type { Backend } from "../backend";
import type { DossierReport } from "../bindings/DossierReport";
import type { RequirementReport } from "../bindings/RequirementReport";
import { i18n, t } from "../i18n/i18n.svelte";
import { kindLabel } from "../messages";
import type { DossierList } from "./dossier-list.svelte";
import type { KeyGate } from "./key-gate.svelte";
import type { Navigation } from "./navigation.svelte";
import type { Notices } from "./notices.svelte";

/** What is happening to one requirement right now. */
export type Activity = "attaching" | "removing" | "confirming" | "undoing" | "dating" | "renaming";

/** What dossier changes ask of the Rust side. */
export type ChangesBackend = Pick<
  Backend,
  | "createDossier"
  | "setProfile"
  | "deleteDossier"
  | "pickDocument"
  | "attachDocument"
  | "detachDocument"
  | "confirmStep"
  | "unconfirmStep"
  | "setDocumentDates"
  | "renameDossier"
  | "dossierReport"
>;

export interface ChangesParts {
  notices: Pick<Notices, "fail" | "announce" | "error">;
  list: Pick<DossierList, "add" | "replace" | "drop" | "find" | "refresh">;
  nav: Pick<Navigation, "screen" | "report" | "show" | "openId" | "isOpen" | "backToList">;
  keys: Pick<KeyGate, "needsKeyFirst">;
  /** Whether the first screen is loaded (a quiet refresh waits for it). */
  ready: () => boolean;
}

export class DossierChanges {
  /** Per requirement id of the open dossier. */
  activity = $state<Record<string, Activity>>({});

  /** A file dialog is open (one at a time). */
  #picking = false;
  /** Raised by every change; a quiet refresh started before one is stale. */
  #generation = 0;

  readonly #backend: ChangesBackend;
  readonly #parts: ChangesParts;

  constructor(backend: ChangesBackend, parts: ChangesParts) {
    this.#backend = backend;
    this.#parts = parts;
  }

  /**
   * Reloads what is shown, quietly: the CLI may have changed the data while
   * the window was in the background.
   */
  async refresh(): Promise<void> {
    const { nav, list } = this.#parts;
    if (!this.#parts.ready() || this.#picking || Object.keys(this.activity).length > 0) return;
    const screen = nav.screen;
    const generation = this.#generation;
    if (screen.name === "list") {
      await list.refresh();
      return;
    }
    if (screen.name !== "dossier") return;
    try {
      const report = await this.#backend.dossierReport(screen.dossierId);
      if (nav.isOpen(screen.dossierId) && generation === this.#generation) nav.report = report;
    } catch {
      // Not worth an alert: the next action on the dossier reports any real problem.
    }
  }

  /** Creates a dossier and opens it; false when it could not be created. */
  async create(programId: string, applicantName: string, closedProgramOk = false): Promise<boolean> {
    const { notices, list, nav, keys } = this.#parts;
    if (keys.needsKeyFirst(() => this.create(programId, applicantName, closedProgramOk))) return false;
    try {
      const report = await this.#backend.createDossier(programId, applicantName.trim(), closedProgramOk);
      notices.error = null;
      list.add(report);
      nav.show(report);
      notices.announce(t("announce.created", { name: report.dossier.applicantName }));
      return true;
    } catch (e) {
      notices.fail(e);
      return false;
    }
  }

  /** Records the applicant's citizenships and residence; the checklist then fits them. */
  async setProfile(citizenships: readonly string[], residence: string | null): Promise<boolean> {
    const { notices, list, nav } = this.#parts;
    const dossierId = nav.openId();
    if (!dossierId) return false;
    try {
      const report = await this.#backend.setProfile(dossierId, citizenships, residence);
      this.#generation += 1;
      notices.error = null;
      list.replace(report);
      if (nav.isOpen(dossierId)) nav.report = report;
      notices.announce(t("profile.saved"));
      return true;
    } catch (e) {
      notices.fail(e);
      return false;
    }
  }

  async remove(dossierId: string): Promise<void> {
    const { notices, list, nav } = this.#parts;
    try {
      const name = list.find(dossierId)?.dossier.applicantName ?? "";
      await this.#backend.deleteDossier(dossierId);
      list.drop(dossierId);
      notices.announce(t("announce.deleted", { name }));
      await nav.backToList();
    } catch (e) {
      notices.fail(e);
    }
  }

  /**
   * Attaches a file to a document requirement: `path` from a drop, or chosen
   * in the native dialog when absent.
   */
  async attach(requirement: RequirementReport, path?: string): Promise<void> {
    const dossierId = this.#parts.nav.openId();
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
        this.#parts.notices.fail(e);
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
    await this.onOpen(requirement, "removing", (id) => this.#backend.detachDocument(id, requirement.id));
  }

  async confirm(requirement: RequirementReport, date: string): Promise<void> {
    await this.onOpen(requirement, "confirming", (id) => this.#backend.confirmStep(id, requirement.id, date));
  }

  /** Records the dates read off a document (YYYY-MM-DD or null); the report then judges them. */
  async setDates(requirement: RequirementReport, issued: string | null, expires: string | null): Promise<void> {
    await this.onOpen(requirement, "dating", (id) =>
      this.#backend.setDocumentDates(id, requirement.id, issued, expires),
    );
  }

  /** Writes the applicant's name as `name` (offered from the passport's zone on `requirement`). */
  async renameApplicant(requirement: RequirementReport, name: string): Promise<void> {
    await this.onOpen(requirement, "renaming", (id) => this.#backend.renameDossier(id, name));
  }

  async undo(requirement: RequirementReport): Promise<void> {
    await this.onOpen(requirement, "undoing", (id) => this.#backend.unconfirmStep(id, requirement.id));
  }

  /** Takes a report made in the background (inspection), unless a change is under way. */
  takeReport(report: DossierReport): void {
    const { list, nav } = this.#parts;
    list.replace(report);
    if (!nav.isOpen(report.dossier.id)) return;
    if (Object.keys(this.activity).length > 0) {
      // The change's own report comes after and reads the same verdicts.
      return;
    }
    this.#generation += 1;
    nav.report = report;
  }

  /** Runs one change to a requirement, marking it busy and taking the fresh report. */
  async run(
    dossierId: string,
    requirementId: string,
    activity: Activity,
    change: () => Promise<DossierReport>,
  ): Promise<void> {
    const { notices, list, nav } = this.#parts;
    if (this.activity[requirementId]) return;
    this.#generation += 1;
    this.activity = { ...this.activity, [requirementId]: activity };
    try {
      const report = await change();
      this.#generation += 1;
      notices.error = null;
      list.replace(report);
      if (nav.isOpen(dossierId)) {
        nav.report = report;
        const updated = report.stages.flatMap((s) => s.requirements).find((r) => r.id === requirementId);
        if (updated) notices.announce(announcement(activity, updated, report.dossier.applicantName));
      }
    } catch (e) {
      notices.fail(e);
    } finally {
      const { [requirementId]: _done, ...rest } = this.activity;
      this.activity = rest;
    }
  }

  /** `run` on the open dossier; nothing when none is open. */
  private async onOpen(
    requirement: RequirementReport,
    activity: Activity,
    change: (dossierId: string) => Promise<DossierReport>,
  ): Promise<void> {
    const dossierId = this.#parts.nav.openId();
    if (!dossierId) return;
    await this.run(dossierId, requirement.id, activity, () => change(dossierId));
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
