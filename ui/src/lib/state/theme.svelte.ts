// The colour theme: as the system prefers (the default), or always light or
// dark. The choice is a `data-theme` attribute on <html> that app.css honours;
// "system" leaves the colours to `prefers-color-scheme`.

import type { Backend } from "../backend";
import type { Theme } from "../bindings/Theme";

export const THEMES: readonly Theme[] = ["system", "light", "dark"];

function isTheme(value: string): value is Theme {
  return (THEMES as readonly string[]).includes(value);
}

export class ThemeState {
  readonly #backend: Pick<Backend, "setTheme">;

  constructor(backend: Pick<Backend, "setTheme">) {
    this.#backend = backend;
  }

  /** The current choice. */
  choice = $state<Theme>("system");

  /** Applies a theme for this session (no saving); used at start-up. */
  use(theme: Theme): void {
    this.choice = theme;
    document.documentElement.dataset.theme = theme;
  }

  /** Switches the theme and remembers the choice. */
  async choose(theme: string): Promise<void> {
    if (!isTheme(theme) || theme === this.choice) return;
    this.use(theme);
    await this.#backend.setTheme(theme);
  }
}
