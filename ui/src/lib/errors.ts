// What went wrong on the Rust side, in a form the UI can translate. Kept
// apart from the backend itself so state classes and components can judge
// errors without reaching for the commands.

import type { Error as CoreError } from "./bindings/Error";

/**
 * What went wrong, in a form the UI can translate: a core error (code and
 * fields, translated with `error.<code>`), or a failure of the bridge itself
 * (a command the shell refused, a dialog that could not open).
 */
export type AppError = { kind: "core"; error: CoreError } | { kind: "bridge"; detail: string };

/** Thrown by every backend call; `problem` is the translatable value. */
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
