// The one door to the Rust side. Every command the UI calls has a typed
// wrapper here, and only this module imports the Tauri packages: components
// and state classes never see `invoke`, so the IPC contract lives in one place.

import { Channel, invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { join } from "@tauri-apps/api/path";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { open, save, type DialogFilter } from "@tauri-apps/plugin-dialog";
import { isPermissionGranted, requestPermission } from "@tauri-apps/plugin-notification";
import { revealItemInDir } from "@tauri-apps/plugin-opener";

import type { Deadlines } from "./bindings/Deadlines";
import type { NextStep } from "./bindings/NextStep";
import type { DemoSummary } from "./bindings/DemoSummary";
import type { DossierReport } from "./bindings/DossierReport";
import type { Event as CaseEvent } from "./bindings/Event";
import type { ExportSummary } from "./bindings/ExportSummary";
import type { DatesView } from "./bindings/DatesView";
import type { ReadingView } from "./bindings/ReadingView";
import type { FileKind } from "./bindings/FileKind";
import type { FixProposal } from "./bindings/FixProposal";
import type { FixSource } from "./bindings/FixSource";
import type { FixStep } from "./bindings/FixStep";
import type { PagePick } from "./bindings/PagePick";
import type { ImportSummary } from "./bindings/ImportSummary";
import type { InspectStep } from "./bindings/InspectStep";
import type { Lang } from "./bindings/Lang";
import type { KeyProtection } from "./bindings/KeyProtection";
import type { KeyStatus } from "./bindings/KeyStatus";
import type { LockState } from "./bindings/LockState";
import type { PackFormat } from "./bindings/PackFormat";
import type { PassphraseStrength } from "./bindings/PassphraseStrength";
import type { PackSummary } from "./bindings/PackSummary";
import type { ProgramListing } from "./bindings/ProgramListing";
import type { Progress } from "./bindings/Progress";
import type { RulePack } from "./bindings/RulePack";
import type { RulesUpdateReport } from "./bindings/RulesUpdateReport";
import type { RulesView } from "./bindings/RulesView";
import type { Settings } from "./bindings/Settings";
import type { Theme } from "./bindings/Theme";
import type { Timeline } from "./bindings/Timeline";
import type { VerifyReport } from "./bindings/VerifyReport";
import { BackendError, toAppError } from "./errors";

// ---------------------------------------------------------------- calls

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw new BackendError(toAppError(raw));
  }
}

// ---------------------------------------------------------------- commands

const programs = (): Promise<RulePack[]> => call("programs");
const programListings = (): Promise<ProgramListing[]> => call("program_listings");

/** Whether the data folder is open, or needs a passphrase (entered, or chosen on a first run without a keychain). */
const lockState = (): Promise<LockState> => call("lock_state");

/** Opens the data folder with this passphrase; a wrong one is refused (`wrong-passphrase`) and may be retried. */
const unlock = (passphrase: string): Promise<void> => call("unlock", { passphrase });

/** Where the data key is kept now (`keychain` or `passphrase`). */
const keyStatus = (): Promise<KeyStatus> => call("key_status");

/** Keeps the data key in the keychain or under a new passphrase; nothing is re-encrypted. */
const protectKey = (protection: KeyProtection): Promise<void> => call("protect_key", { protection });

/**
 * Restarts Qujat through the official process plugin (its command, called
 * directly: the plugin's npm half adds nothing but this call), e.g. once the
 * app was updated under the running window.
 */
const restartApp = (): Promise<void> => invoke("plugin:process|restart");

/** How hard a new passphrase is to guess, as the core judges it when the passphrase is set. */
const passphraseStrength = (passphrase: string): Promise<PassphraseStrength> =>
  call("passphrase_strength", { passphrase });

const listDossiers = (): Promise<DossierReport[]> => call("list_dossiers");

const createDossier = (
  programId: string,
  applicantName: string,
  closedProgramOk: boolean,
): Promise<DossierReport> => call("create_dossier", { programId, applicantName, closedProgramOk });

const deleteDossier = (dossierId: string): Promise<void> => call("delete_dossier", { dossierId });

/** Writes the applicant's name otherwise; the checklist comes back with its findings redone. */
const renameDossier = (dossierId: string, applicantName: string): Promise<DossierReport> =>
  call("rename_dossier", { dossierId, applicantName });
/** Records the applicant's citizenships and residence (ISO codes); empty clears it. */
const setProfile = (
  dossierId: string,
  citizenships: readonly string[],
  residence: string | null,
): Promise<DossierReport> => call("set_profile", { dossierId, citizenships, residence });

const dossierReport = (dossierId: string): Promise<DossierReport> => call("dossier_report", { dossierId });

const attachDocument = (dossierId: string, requirementId: string, path: string): Promise<DossierReport> =>
  call("attach_document", { dossierId, requirementId, path });

const detachDocument = (dossierId: string, requirementId: string): Promise<DossierReport> =>
  call("detach_document", { dossierId, requirementId });

/** `date` is a calendar day, YYYY-MM-DD. */
const confirmStep = (dossierId: string, stepId: string, date: string): Promise<DossierReport> =>
  call("confirm_step", { dossierId, stepId, date });

const unconfirmStep = (dossierId: string, stepId: string): Promise<DossierReport> =>
  call("unconfirm_step", { dossierId, stepId });

const settings = (): Promise<Settings> => call("settings");

const setLanguage = (language: Lang): Promise<void> => call("set_language", { language });

const setTheme = (theme: Theme): Promise<void> => call("set_theme", { theme });

/** Opens the data folder in the system's file manager (the shell decides which folder). */
const openDataDir = (): Promise<void> => call("open_data_dir");

// ---------------------------------------------------------------- files

const EXTENSIONS: Record<FileKind, string[]> = {
  pdf: ["pdf"],
  jpeg: ["jpg", "jpeg"],
  png: ["png"],
  heic: ["heic", "heif"],
  docx: ["docx"],
  other: [],
};

export interface PickLabels {
  /** The dialog's title. */
  title: string;
  /** Name of the filter of accepted kinds, e.g. "Accepted files (PDF, JPEG)". */
  accepted: string;
  /** Name of the catch-all filter. */
  all: string;
}

/**
 * Opens the native file dialog for one document. The first filter offers the
 * accepted kinds; "All files" stays available because the core decides a
 * file's kind from its content, not its name, and explains a mismatch.
 * Resolves to the chosen path, or null when the user cancels.
 */
async function pickDocument(accepts: readonly FileKind[], labels: PickLabels): Promise<string | null> {
  const extensions = accepts.flatMap((kind) => EXTENSIONS[kind]);
  const filters: DialogFilter[] = [];
  if (extensions.length > 0) filters.push({ name: labels.accepted, extensions });
  filters.push({ name: labels.all, extensions: ["*"] });
  try {
    const chosen = await open({ title: labels.title, multiple: false, directory: false, filters });
    return typeof chosen === "string" ? chosen : null;
  } catch (raw) {
    throw new BackendError(toAppError(raw));
  }
}

/** Asks for one or several files (photos, scans, PDFs) to make one PDF of; [] when cancelled. */
async function pickPages(labels: PickLabels): Promise<string[]> {
  const extensions = (["pdf", "jpeg", "png"] as const).flatMap((kind) => EXTENSIONS[kind]);
  const filters: DialogFilter[] = [
    { name: labels.accepted, extensions },
    { name: labels.all, extensions: ["*"] },
  ];
  try {
    const chosen = await open({ title: labels.title, multiple: true, directory: false, filters });
    if (chosen === null) return [];
    return Array.isArray(chosen) ? chosen : [chosen];
  } catch (raw) {
    throw new BackendError(toAppError(raw));
  }
}

/** A drag of files over the window, in CSS pixels of the page. */
export type FileDrag =
  | { type: "over"; x: number; y: number }
  | { type: "drop"; x: number; y: number; paths: string[] }
  | { type: "leave" };

/**
 * Follows files dragged from the desktop onto the window. Tauri reports the
 * pointer in physical pixels; they are turned into CSS pixels so the caller
 * can use `document.elementFromPoint`. Resolves to a function that stops
 * listening.
 */
async function onFileDrag(handler: (drag: FileDrag) => void): Promise<() => void> {
  return getCurrentWebview().onDragDropEvent((event) => {
    const payload = event.payload;
    if (payload.type === "leave") {
      handler({ type: "leave" });
      return;
    }
    const scale = window.devicePixelRatio || 1;
    const x = payload.position.x / scale;
    const y = payload.position.y / scale;
    if (payload.type === "drop") handler({ type: "drop", x, y, paths: payload.paths });
    else handler({ type: "over", x, y });
  });
}

/**
 * Qujat was launched again on this data folder: the shell ended the new
 * launch and brought this window forward. `locked` says whether this
 * window is still waiting for its passphrase. Resolves to a function that
 * stops listening.
 */
async function onSecondLaunch(handler: (locked: boolean) => void): Promise<() => void> {
  return listen<boolean>("qujat://second-launch", (event) => handler(event.payload));
}

// ---------------------------------------------------------------- packages

export interface PackRequest {
  /** Names the job for `cancelJob`. */
  jobId: string;
  dossierId: string;
  stageId: string;
  /** The ZIP file or the folder to create. */
  out: string;
  format: PackFormat;
  allowIncomplete: boolean;
  force: boolean;
  /** Language of the cover sheet and the upload list. */
  lang: Lang;
}

/** The suggested name of a package of the stage made today, without an extension. */
const packageName = (dossierId: string, stageId: string): Promise<string> =>
  call("package_name", { dossierId, stageId });

/** Packs a stage; `onProgress` hears about every few chunks (at most ten times a second). */
function packStage(request: PackRequest, onProgress: (progress: Progress) => void): Promise<PackSummary> {
  return call("pack_stage", { ...request, onProgress: new Channel<Progress>(onProgress) });
}

/** Verifies the package (ZIP or folder) at `path`. */
function verifyPackage(jobId: string, path: string, onProgress: (progress: Progress) => void): Promise<VerifyReport> {
  return call("verify_package", { jobId, path, onProgress: new Channel<Progress>(onProgress) });
}

/** Asks a running pack or verification to stop; it then rejects with `cancelled`. */
const cancelJob = (jobId: string): Promise<void> => call("cancel_pack", { jobId });

// ---------------------------------------------------------------- inspection and document dates

/**
 * Inspects the dossier's files that have no verdict yet, in child processes;
 * `onStep` hears about each file done. Cancelled with `cancelJob(jobId)`.
 */
function inspectDossier(jobId: string, dossierId: string, onStep: (step: InspectStep) => void): Promise<DossierReport> {
  return call("inspect_dossier", { jobId, dossierId, onProgress: new Channel<InspectStep>(onStep) });
}

const documentDates = (dossierId: string, requirementId: string): Promise<DatesView> =>
  call("document_dates", { dossierId, requirementId });

/** "What Qujat read" in the document of a requirement. */
const documentReading = (dossierId: string, requirementId: string): Promise<ReadingView> =>
  call("document_reading", { dossierId, requirementId });

/** Days are YYYY-MM-DD; null clears one. Both are replaced. */
const setDocumentDates = (
  dossierId: string,
  requirementId: string,
  issued: string | null,
  expires: string | null,
): Promise<DossierReport> => call("set_document_dates", { dossierId, requirementId, issued, expires });

// ---------------------------------------------------------------- timeline and deadlines

const timeline = (dossierId: string): Promise<Timeline> => call("timeline", { dossierId });

const deadlines = (dossierId: string): Promise<Deadlines> => call("deadlines", { dossierId });

/** What to do next in the case: from its requirements, events and deadlines. */
const nextStep = (dossierId: string): Promise<NextStep> => call("next_step", { dossierId });

/** `date` is a calendar day, YYYY-MM-DD. */
const recordEvent = (dossierId: string, kind: string, date: string, note: string | null): Promise<CaseEvent> =>
  call("record_event", { dossierId, kind, date, note });

/** What is left out stays as it was; an empty note removes the note. */
const correctEvent = (
  dossierId: string,
  eventId: number,
  change: { kind?: string; date?: string; note?: string },
): Promise<CaseEvent> => call("correct_event", { dossierId, eventId, ...change });

const removeEvent = (dossierId: string, eventId: number): Promise<CaseEvent> =>
  call("remove_event", { dossierId, eventId });

const exportDeadlines = (dossierId: string, path: string, lang: Lang): Promise<Deadlines> =>
  call("export_deadlines", { dossierId, path, lang });

// ---------------------------------------------------------------- dialogs and the desktop

/** Runs a plugin call, turning its failure into a BackendError. */
async function plugin<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (raw) {
    throw new BackendError(toAppError(raw));
  }
}

/**
 * The native save dialog. `defaultName` is the suggested file name; the
 * dialog itself asks before replacing an existing file. Resolves to the
 * chosen path, or null when the user cancels.
 */
function pickSavePath(options: { title: string; defaultName: string; filter: DialogFilter }): Promise<string | null> {
  return plugin(() =>
    save({ title: options.title, defaultPath: options.defaultName, filters: [options.filter] }),
  );
}

/** The native dialog for one existing file, or a folder with `directory`; null when cancelled. */
function pickExisting(options: { title: string; directory: boolean; filters?: DialogFilter[] }): Promise<string | null> {
  return plugin(async () => {
    const chosen = await open({ title: options.title, multiple: false, directory: options.directory, filters: options.filters });
    return typeof chosen === "string" ? chosen : null;
  });
}

/** `folder` and `name` joined with the platform's separator. */
const joinPath = (folder: string, name: string): Promise<string> => plugin(() => join(folder, name));

/** Opens the file manager at `path`, with the item selected. */
const revealInFolder = (path: string): Promise<void> => plugin(() => revealItemInDir(path));

/**
 * Whether deadline reminders may appear as notifications, asking the
 * system once if it has not decided (macOS asks the user; Linux and Windows
 * allow it). The reminders themselves are sent by the shell.
 */
async function allowNotifications(): Promise<boolean> {
  return plugin(async () => (await isPermissionGranted()) || (await requestPermission()) === "granted");
}

// ---------------------------------------------------------------- demo, printing and undo

/** Creates the embassy demo dossier, its sample documents' notice in `lang`. */
const createDemo = (lang: Lang): Promise<DemoSummary> => call("create_demo", { lang });

/** Deletes every demo dossier (never a real one) and creates a fresh demo. */
const resetDemo = (lang: Lang): Promise<DemoSummary> => call("reset_demo", { lang });

/** Writes the program's checklist in `lang` as a PDF to `path`; resolves to its page count. */
/** With a dossier, the checklist is ticked with its progress; without, it is the blank program checklist. */
const saveChecklistPdf = (programId: string, dossierId: string | null, lang: Lang, path: string): Promise<number> =>
  call("save_checklist_pdf", { programId, dossierId, lang, path });

/** Puts a just-removed document back from the vault. */
const reattachDocument = (
  dossierId: string,
  requirementId: string,
  sha256: string,
  originalName: string,
): Promise<DossierReport> => call("reattach_document", { dossierId, requirementId, sha256, originalName });

/**
 * The attached document's bytes for the in-app preview: a PDF, JPEG or PNG
 * of at most 32 MiB (larger, or another kind: `file-too-large`).
 */
const documentContent = (dossierId: string, requirementId: string): Promise<ArrayBuffer> =>
  call("document_content", { dossierId, requirementId });

// ---------------------------------------------------------------- fixing a requirement's file

/**
 * Makes one PDF of `sources` for the requirement (`pages` picks, orders and
 * turns the pages; none takes them all in order). The result is kept but
 * replaces nothing until `acceptFix`. Cancelled with `cancelJob(jobId)`.
 */
function proposeCombine(
  jobId: string,
  dossierId: string,
  requirementId: string,
  sources: FixSource[],
  pages: PagePick[] | null,
  onStep: (step: FixStep) => void,
): Promise<FixProposal> {
  return call("propose_combine", {
    jobId,
    dossierId,
    requirementId,
    sources,
    pages,
    onProgress: new Channel<FixStep>(onStep),
  });
}

/** Makes the requirement's file fit its size limit (see `proposeCombine`). */
function proposeShrink(jobId: string, dossierId: string, requirementId: string, onStep: (step: FixStep) => void): Promise<FixProposal> {
  return call("propose_shrink", { jobId, dossierId, requirementId, onProgress: new Channel<FixStep>(onStep) });
}

/** Crops the requirement's photo to the pack's photo specification around its one face. */
function proposeCropPhoto(jobId: string, dossierId: string, requirementId: string, onStep: (step: FixStep) => void): Promise<FixProposal> {
  return call("propose_crop_photo", { jobId, dossierId, requirementId, onProgress: new Channel<FixStep>(onStep) });
}

/**
 * Saves the requirement's PDF without restrictions; `password` only after
 * the core answered `fix-needs-password`. Never stored or logged.
 */
function proposeUnlock(
  jobId: string,
  dossierId: string,
  requirementId: string,
  password: string | null,
  onStep: (step: FixStep) => void,
): Promise<FixProposal> {
  return call("propose_unlock", { jobId, dossierId, requirementId, password, onProgress: new Channel<FixStep>(onStep) });
}

/** Makes the proposal the requirement's document; the replaced one stays for undo. */
const acceptFix = (dossierId: string, requirementId: string, sha256: string): Promise<DossierReport> =>
  call("accept_fix", { dossierId, requirementId, sha256 });

/** Forgets the proposal and deletes its content. */
const discardFix = (dossierId: string, requirementId: string, sha256: string): Promise<void> =>
  call("discard_fix", { dossierId, requirementId, sha256 });

/** The bytes of a pending proposal, for the "after" preview. */
const fixContent = (dossierId: string, requirementId: string, sha256: string): Promise<ArrayBuffer> =>
  call("fix_content", { dossierId, requirementId, sha256 });

/** The bytes of a picked file (PDF, JPEG or PNG, at most 32 MiB), for its thumbnail. */
const fixSourceContent = (path: string): Promise<ArrayBuffer> => call("fix_source_content", { path });

// ---------------------------------------------------------------- backups and rule packs

/**
 * Writes the dossier to a new passphrase-encrypted backup at `path` (never
 * replacing a file). The passphrase is only passed on, never kept.
 */
const exportBackup = (dossierId: string, path: string, passphrase: string): Promise<ExportSummary> =>
  call("export_backup", { dossierId, path, passphrase });

/** Imports the backup at `path`; any problem with the file refuses it whole and changes nothing. */
const importBackup = (path: string, passphrase: string): Promise<ImportSummary> =>
  call("import_backup", { path, passphrase });

/** The rule packs in use, skipped installed packs, and the update address. */
const rulesStatus = (): Promise<RulesView> => call("rules_status");

/** Remembers the update address; empty means the built-in one. */
const setRulesUrl = (url: string): Promise<RulesView> => call("set_rules_url", { url });

/** Remembers `url`, then fetches, verifies and installs newer signed packs from it. */
const updateRules = (url: string): Promise<RulesUpdateReport> => call("update_rules", { url });

// ---------------------------------------------------------------- as a value

/**
 * The Rust side as the UI receives it. App.svelte is given this real one
 * (over Tauri's `invoke`, the dialogs and events) and hands it to the state
 * it creates; state classes and components never import the commands, so a
 * unit test gives them a fake instead.
 */
export const tauriBackend = {
  programs,
  programListings,
  lockState,
  unlock,
  keyStatus,
  protectKey,
  restartApp,
  passphraseStrength,
  listDossiers,
  createDossier,
  deleteDossier,
  renameDossier,
  setProfile,
  dossierReport,
  attachDocument,
  detachDocument,
  confirmStep,
  unconfirmStep,
  settings,
  setLanguage,
  setTheme,
  openDataDir,
  pickDocument,
  pickPages,
  onFileDrag,
  onSecondLaunch,
  packageName,
  packStage,
  verifyPackage,
  cancelJob,
  inspectDossier,
  documentDates,
  documentReading,
  setDocumentDates,
  timeline,
  deadlines,
  nextStep,
  recordEvent,
  correctEvent,
  removeEvent,
  exportDeadlines,
  pickSavePath,
  pickExisting,
  joinPath,
  revealInFolder,
  allowNotifications,
  createDemo,
  resetDemo,
  saveChecklistPdf,
  reattachDocument,
  documentContent,
  proposeCombine,
  proposeShrink,
  proposeCropPhoto,
  proposeUnlock,
  acceptFix,
  discardFix,
  fixContent,
  fixSourceContent,
  exportBackup,
  importBackup,
  rulesStatus,
  setRulesUrl,
  updateRules,
};

/** What the UI may ask of the Rust side; state classes take the part they use (`Pick<Backend, ...>`). */
export type Backend = typeof tauriBackend;
