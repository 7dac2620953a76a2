// The UI's layering, enforced: components in shared/ are given what they show
// and say what was chosen through props; none reaches into the app's state,
// so each can be used (and tested) anywhere. App chrome that does belongs in
// components/app/.
import { describe, expect, it } from "vitest";

const shared = import.meta.glob("../components/shared/*.svelte", {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

/** Any state module but the theme's list of choices (a constant, not state). */
const appState = /from\s+["'][./]*lib\/state\/(?!theme\.svelte["'])[\w.-]+["']/;
/** A value (not a type) from the backend: the Rust side reaches a shared component only as a prop. */
const backendValue = /import\s+(?!type\b)[^;]*from\s+["'][./]*lib\/backend["']/;

describe("components/shared", () => {
  it("were read", () => {
    expect(Object.keys(shared).length).toBeGreaterThan(5);
    expect(Object.keys(shared)).toContain("../components/shared/LanguageSelect.svelte");
  });

  it("import no app state", () => {
    const offenders = Object.entries(shared)
      .filter(([, source]) => appState.test(source))
      .map(([path]) => path);
    expect(offenders).toEqual([]);
  });

  it("call no backend of their own", () => {
    const offenders = Object.entries(shared)
      .filter(([, source]) => backendValue.test(source))
      .map(([path]) => path);
    expect(offenders).toEqual([]);
  });

  it("the checks see an import of app state or of the backend, and let a type through", () => {
    expect(appState.test('import { app } from "../../lib/state/app.svelte";')).toBe(true);
    expect(appState.test('import { getStores } from "../../lib/state/context";')).toBe(true);
    expect(appState.test('import type { Hint } from "../../lib/state/notices.svelte";')).toBe(true);
    expect(appState.test('import { THEMES } from "../../lib/state/theme.svelte";')).toBe(false);
    expect(backendValue.test('import { tauriBackend } from "../../lib/backend";')).toBe(true);
    expect(backendValue.test('import type { Backend } from "../../lib/backend";')).toBe(false);
  });
});
