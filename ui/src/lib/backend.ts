// The one door to the Rust side. Every command the UI calls has a typed
// wrapper here, and only this module imports the Tauri packages: components
// and state classes never see `invoke`, so the IPC contract lives in one place.

import { invoke } from "@tauri-apps/api/core";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { open, type DialogFilter } from "@tauri-apps/plugin-dialog";

import type { DossierReport } from "./bindings/DossierReport";
import type { Error as CoreError } from "./bindings/Error";
import type { FileKind } from "./bindings/FileKind";
import type { Lang } from "./bindings/Lang";
import type { RulePack } from "./bindings/RulePack";
import type { Settings } from "./bindings/Settings";

// ---------------------------------------------------------------- errors

/**
 * What went wrong, in a form the UI can translate: a core error (code and
 * fields, translated with `error.<code>`), or a failure of the bridge itself
 * (a command the shell refused, a dialog that could not open).
 */
export type AppError = { kind: "core"; error: CoreError } | { kind: "bridge"; detail: string };

/** Thrown by every wrapper below; `problem` is the translatable value. */
export class BackendError extends Error {
  readonly problem: AppError;

  constructor(problem: AppError) {
    super(problem.kind === "core" ? problem.error.code : problem.detail);
    this.name = "BackendError";
    this.problem = problem;
  }
}

/** The core rejects with `{ code: "kebab-case", ...fields }`; anything else is the bridge's own. */
function isCoreError(value: unknown): value is CoreError {
  if (typeof value !== "object" || value === null || !("code" in value)) return false;
  const code: unknown = value.code;
  return typeof code === "string" && /^[a-z][a-z0-9-]*$/.test(code);
}

/** Turns anything thrown or rejected into an AppError. */
export function toAppError(raw: unknown): AppError {
  if (raw instanceof BackendError) return raw.problem;
  if (isCoreError(raw)) return { kind: "core", error: raw };
  if (raw instanceof Error) return { kind: "bridge", detail: raw.message };
  if (typeof raw === "string") return { kind: "bridge", detail: raw };
  try {
    return { kind: "bridge", detail: JSON.stringify(raw) };
  } catch {
    return { kind: "bridge", detail: String(raw) };
  }
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw new BackendError(toAppError(raw));
  }
}

// ---------------------------------------------------------------- commands

export const programs = (): Promise<RulePack[]> => call("programs");

export const listDossiers = (): Promise<DossierReport[]> => call("list_dossiers");

export const createDossier = (programId: string, applicantName: string): Promise<DossierReport> =>
  call("create_dossier", { programId, applicantName });

export const deleteDossier = (dossierId: string): Promise<void> => call("delete_dossier", { dossierId });

export const dossierReport = (dossierId: string): Promise<DossierReport> => call("dossier_report", { dossierId });

export const attachDocument = (dossierId: string, requirementId: string, path: string): Promise<DossierReport> =>
  call("attach_document", { dossierId, requirementId, path });

export const detachDocument = (dossierId: string, requirementId: string): Promise<DossierReport> =>
  call("detach_document", { dossierId, requirementId });

/** `date` is a calendar day, YYYY-MM-DD. */
export const confirmStep = (dossierId: string, stepId: string, date: string): Promise<DossierReport> =>
  call("confirm_step", { dossierId, stepId, date });

export const unconfirmStep = (dossierId: string, stepId: string): Promise<DossierReport> =>
  call("unconfirm_step", { dossierId, stepId });

export const settings = (): Promise<Settings> => call("settings");

export const setLanguage = (language: Lang): Promise<void> => call("set_language", { language });

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
export async function pickDocument(accepts: readonly FileKind[], labels: PickLabels): Promise<string | null> {
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
export async function onFileDrag(handler: (drag: FileDrag) => void): Promise<() => void> {
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
