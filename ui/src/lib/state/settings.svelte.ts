// The Settings screen: a dossier to an encrypted backup and back, and the
// rule packs with their signed updates. Passphrases live only in the form
// fields that hold them and go straight to the backend; nothing here keeps
// them.

import type { Backend } from "../backend";
import { toAppError, type AppError } from "../errors";
import type { ExportSummary } from "../bindings/ExportSummary";
import type { ImportSummary } from "../bindings/ImportSummary";
import type { RulesOutcome } from "../bindings/RulesOutcome";
import type { RulesView } from "../bindings/RulesView";
import { t } from "../i18n/i18n.svelte";
import type { AppParts } from "./parts";

/** The backup file's extension, as the CLI's examples use it. */
const BACKUP_EXTENSION = "qujat";

/** The shortest passphrase the core accepts: any non-empty one. */
export const MIN_PASSPHRASE = 1;

/** An address the update can use: empty (the default) or http(s)://… */
export function urlProblem(url: string): boolean {
  const trimmed = url.trim();
  return trimmed !== "" && !/^https?:\/\/[^\s/]+\S*$/i.test(trimmed);
}

/** A file name from the applicant's name and today's date, without characters file systems refuse. */
function backupName(applicantName: string): string {
  const name = applicantName.replace(/[\\/:*?"<>|\p{Cc}]+/gu, " ").replace(/\s+/g, " ").trim();
  const day = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  const date = `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
  return `${name || "Qujat"} ${date}.${BACKUP_EXTENSION}`;
}

export class BackupState {
  readonly #backend: Pick<Backend, "passphraseStrength" | "pickSavePath" | "exportBackup" | "pickExisting" | "importBackup">;
  readonly #parts: Pick<AppParts, "notices" | "dossierList">;

  constructor(
    backend: Pick<Backend, "passphraseStrength" | "pickSavePath" | "exportBackup" | "pickExisting" | "importBackup">,
    parts: Pick<AppParts, "notices" | "dossierList">,
  ) {
    this.#backend = backend;
    this.#parts = parts;
  }

  /** The dossier whose export form is open. */
  exportingId = $state<string | null>(null);
  /** What is running: one job at a time, each takes a few seconds (scrypt). */
  busy = $state<"export" | "import" | null>(null);
  exported = $state.raw<ExportSummary | null>(null);
  exportError = $state.raw<AppError | null>(null);
  /** The backup chosen for import, waiting for its passphrase. */
  importPath = $state<string | null>(null);
  imported = $state.raw<ImportSummary | null>(null);
  importError = $state.raw<AppError | null>(null);
  /** A native dialog is open. */
  #picking = false;

  /** Forgets the last results and errors (the screen was opened again). */
  reset(): void {
    if (this.busy) return;
    this.exportingId = null;
    this.exported = null;
    this.exportError = null;
    this.importPath = null;
    this.imported = null;
    this.importError = null;
  }

  openExport(dossierId: string): void {
    this.exportingId = dossierId;
    this.exported = null;
    this.exportError = null;
  }

  closeExport(): void {
    this.exportingId = null;
    this.exportError = null;
  }

  /**
   * Asks where to save, then writes the backup. Resolves to true once it is
   * written (the form then forgets the passphrase).
   */
  async export(dossierId: string, applicantName: string, passphrase: string): Promise<boolean> {
    if (this.busy || this.#picking || passphrase.length < MIN_PASSPHRASE) return false;
    this.exportError = null;
    this.exported = null;
    this.#picking = true;
    let path: string | null;
    try {
      // A passphrase the core would refuse is refused before the save dialog,
      // with the core's own judgement and the same error it would give.
      const strength = await this.#backend.passphraseStrength(passphrase);
      if (!strength.acceptable && strength.reason) {
        this.exportError = { kind: "core", error: { code: "passphrase-weak", reason: strength.reason } };
        return false;
      }
      path = await this.#backend.pickSavePath({
        title: t("settings.export-dialog"),
        defaultName: backupName(applicantName),
        filter: { name: t("settings.backup-filter"), extensions: [BACKUP_EXTENSION] },
      });
    } catch (e) {
      this.exportError = toAppError(e);
      return false;
    } finally {
      this.#picking = false;
    }
    if (path === null) return false;
    this.busy = "export";
    try {
      this.exported = await this.#backend.exportBackup(dossierId, path, passphrase);
      this.exportingId = null;
      this.#parts.notices.announce(t("settings.exported-announce"));
      return true;
    } catch (e) {
      this.exportError = toAppError(e);
      return false;
    } finally {
      this.busy = null;
    }
  }

  /** Asks for the backup file to import. */
  async chooseImport(): Promise<void> {
    if (this.busy || this.#picking) return;
    this.#picking = true;
    try {
      const path = await this.#backend.pickExisting({
        title: t("settings.import-dialog"),
        directory: false,
        filters: [
          { name: t("settings.backup-filter"), extensions: [BACKUP_EXTENSION] },
          { name: t("dialog.all"), extensions: ["*"] },
        ],
      });
      if (path === null) return;
      this.importPath = path;
      this.imported = null;
      this.importError = null;
    } catch (e) {
      this.importError = toAppError(e);
    } finally {
      this.#picking = false;
    }
  }

  cancelImport(): void {
    this.importPath = null;
    this.importError = null;
  }

  /** Imports the chosen backup; true when the dossier is in the list. */
  async import(passphrase: string): Promise<boolean> {
    const path = this.importPath;
    if (!path || this.busy || passphrase.length < MIN_PASSPHRASE) return false;
    this.busy = "import";
    this.importError = null;
    try {
      this.imported = await this.#backend.importBackup(path, passphrase);
      this.importPath = null;
      await this.#parts.dossierList.refresh();
      this.#parts.notices.announce(t("settings.imported-announce"));
      return true;
    } catch (e) {
      this.importError = toAppError(e);
      return false;
    } finally {
      this.busy = null;
    }
  }
}

export class RulesState {
  readonly #backend: Pick<Backend, "rulesStatus" | "setRulesUrl" | "updateRules">;
  readonly #parts: Pick<AppParts, "notices" | "dossierList" | "session">;

  constructor(
    backend: Pick<Backend, "rulesStatus" | "setRulesUrl" | "updateRules">,
    parts: Pick<AppParts, "notices" | "dossierList" | "session">,
  ) {
    this.#backend = backend;
    this.#parts = parts;
  }

  view = $state.raw<RulesView | null>(null);
  /** The update address as typed. */
  url = $state("");
  checking = $state(false);
  /** The last check's outcome per program (null before the first). */
  outcomes = $state.raw<RulesOutcome[] | null>(null);
  /** The status or the check could not run at all. */
  error = $state.raw<AppError | null>(null);

  async load(): Promise<void> {
    try {
      const view = await this.#backend.rulesStatus();
      this.view = view;
      this.url = view.url;
      this.error = null;
    } catch (e) {
      this.error = toAppError(e);
    }
  }

  /** Remembers the typed address (when it is one). */
  async saveUrl(): Promise<void> {
    if (urlProblem(this.url) || this.url.trim() === this.view?.url) return;
    try {
      this.view = await this.#backend.setRulesUrl(this.url);
    } catch (e) {
      this.error = toAppError(e);
    }
  }

  /** Fetches newer signed packs; the programs shown follow what was installed. */
  async check(): Promise<void> {
    if (this.checking || urlProblem(this.url)) return;
    this.checking = true;
    this.error = null;
    this.outcomes = null;
    try {
      const report = await this.#backend.updateRules(this.url);
      this.view = report.rules;
      this.outcomes = report.outcomes;
      if (report.outcomes.some((o) => o.update?.outcome === "installed")) {
        // Every checklist is judged by its program's pack: show the new ones.
        await this.#parts.session.reloadPrograms();
        await this.#parts.dossierList.refresh();
      }
      this.#parts.notices.announce(t("settings.rules-checked"));
    } catch (e) {
      this.error = toAppError(e);
    } finally {
      this.checking = false;
    }
  }
}

