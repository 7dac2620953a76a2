// What the window says besides its screens: the current error, a short hint
// that goes away on its own, and the line screen readers hear after an
// action. Every other state object reports through one Notices.

import { toAppError, type AppError } from "../errors";

/** Gentle, non-error messages that disappear on their own. */
export type Hint = "drop-outside" | "drop-no-dossier" | "drop-first-only" | "already-open";

const HINT_MS = 6000;

export class Notices {
  error = $state.raw<AppError | null>(null);
  hint = $state<Hint | null>(null);
  /** Said to screen readers after an action. */
  announcement = $state("");

  #hintTimer: ReturnType<typeof setTimeout> | undefined;

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

  /** Forgets the error and the hint (another screen is shown). */
  clear(): void {
    this.error = null;
    this.dismissHint();
  }
}
