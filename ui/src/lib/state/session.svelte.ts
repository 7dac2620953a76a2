// What the window loads once the data folder is open: the saved settings
// (language, theme), the programs with their status for today, and the
// dossiers; and the choices saved back (language, theme).

import type { Backend } from "../backend";
import type { ProgramListing } from "../bindings/ProgramListing";
import type { RulePack } from "../bindings/RulePack";
import type { Settings } from "../bindings/Settings";
import { i18n, initialLanguage } from "../i18n/i18n.svelte";
import type { DossierList } from "./dossier-list.svelte";
import type { Notices } from "./notices.svelte";
import { ThemeState } from "./theme.svelte";

/** What a Session asks of the Rust side. */
export type SessionBackend = Pick<
  Backend,
  "settings" | "setLanguage" | "setTheme" | "programs" | "programListings" | "listDossiers" | "allowNotifications" | "openDataDir"
>;

export class Session {
  /** False until settings, programs and dossiers are loaded. */
  ready = $state(false);
  settings = $state.raw<Settings | null>(null);
  programs = $state.raw<RulePack[]>([]);
  /** Each program's status and review dates for today, from the core. */
  listings = $state.raw<ProgramListing[]>([]);
  /** The colour theme, saved through the backend. */
  readonly theme: ThemeState;

  readonly #backend: SessionBackend;
  readonly #notices: Pick<Notices, "fail">;
  readonly #list: Pick<DossierList, "dossiers">;

  constructor(backend: SessionBackend, notices: Pick<Notices, "fail">, list: Pick<DossierList, "dossiers">) {
    this.#backend = backend;
    this.#notices = notices;
    this.#list = list;
    this.theme = new ThemeState(backend);
  }

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
        this.#notices.fail(e);
        return null;
      });
      this.settings = settings;
      i18n.use(picked ?? initialLanguage(settings?.language, system));
      if (picked && picked !== settings?.language) {
        void this.#backend.setLanguage(picked).catch((e: unknown) => this.#notices.fail(e));
      }
      this.theme.use(settings?.theme ?? "system");
      const [programs, listings, dossiers] = await Promise.all([
        this.#backend.programs(),
        this.#backend.programListings(),
        this.#backend.listDossiers(),
      ]);
      this.programs = programs;
      this.listings = listings;
      this.#list.dossiers = dossiers;
      // Deadline reminders are sent by the shell; let the system show them
      // (macOS asks the user once). Without permission the app works the same.
      void this.#backend.allowNotifications().catch(() => undefined);
    } catch (e) {
      this.#notices.fail(e);
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

  /** Opens the data folder in the file manager; false when the system could not. */
  async openDataDir(): Promise<boolean> {
    try {
      await this.#backend.openDataDir();
      return true;
    } catch {
      return false;
    }
  }

  async chooseLanguage(lang: string): Promise<void> {
    try {
      await i18n.choose(lang, (chosen) => this.#backend.setLanguage(chosen));
    } catch (e) {
      this.#notices.fail(e);
    }
  }

  async chooseTheme(choice: string): Promise<void> {
    try {
      await this.theme.choose(choice);
    } catch (e) {
      this.#notices.fail(e);
    }
  }
}
