// Backups and rule packs against a fake Rust side: the passphrase judged
// before the save dialog, what each answer leaves in the form, and the list
// and programs read again after an import or an installed pack.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { RulesUpdateReport } from "../bindings/RulesUpdateReport";
import type { RulesView } from "../bindings/RulesView";
import { fakeStores, report, settle } from "./fake-backend";
import { urlProblem } from "./settings.svelte";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(2026, 2, 5, 12));
});

afterEach(() => {
  vi.useRealTimers();
});

const strong = { score: 4, acceptable: true, reason: null };

describe("BackupState", () => {
  it("refuses a weak passphrase with the core's reason before any dialog opens", async () => {
    const { stores, names } = fakeStores({
      passphraseStrength: async () => ({ score: 0, acceptable: false, reason: "too-short" }) as never,
    });
    expect(await stores.backups.export("d1", "Aigerim", "abc")).toBe(false);
    expect(names()).toEqual(["passphraseStrength"]);
    expect(stores.backups.exportError).toEqual({ kind: "core", error: { code: "passphrase-weak", reason: "too-short" } });
  });

  it("suggests a file name from the applicant and today, writes the backup there and says so", async () => {
    const summary = { dossierId: "d1", path: "/b/x.qujat" } as never;
    const { stores, calls } = fakeStores({
      passphraseStrength: async () => strong,
      pickSavePath: async () => "/b/x.qujat",
      exportBackup: async () => summary,
    });
    stores.backups.openExport("d1");
    expect(await stores.backups.export("d1", 'Ai/ge:rim "S"', "correct horse")).toBe(true);
    await settle();
    const dialog = calls[1]![1] as { defaultName: string; filter: { extensions: string[] } };
    expect(dialog.defaultName).toBe("Ai ge rim S 2026-03-05.qujat");
    expect(dialog.filter.extensions).toEqual(["qujat"]);
    expect(calls[2]).toEqual(["exportBackup", "d1", "/b/x.qujat", "correct horse"]);
    expect(stores.backups.exported).toBe(summary);
    expect(stores.backups.exportingId).toBeNull();
    expect(stores.backups.busy).toBeNull();
    expect(stores.notices.announcement).toBe("The backup was saved.");
  });

  it("writes nothing when the save dialog is closed", async () => {
    const { stores, names } = fakeStores({ passphraseStrength: async () => strong, pickSavePath: async () => null });
    expect(await stores.backups.export("d1", "A", "correct horse")).toBe(false);
    expect(names()).toEqual(["passphraseStrength", "pickSavePath"]);
    expect(stores.backups.exportError).toBeNull();
  });

  it("imports the chosen backup, then lists the dossiers again", async () => {
    const { stores, names } = fakeStores({
      pickExisting: async () => "/b/x.qujat",
      importBackup: async () => ({ dossierId: "d9" }) as never,
      listDossiers: async () => [report("d9")],
    });
    await stores.backups.chooseImport();
    expect(stores.backups.importPath).toBe("/b/x.qujat");
    expect(await stores.backups.import("pass")).toBe(true);
    expect(names()).toEqual(["pickExisting", "importBackup", "listDossiers"]);
    expect(stores.dossierList.dossiers.map((d) => d.dossier.id)).toEqual(["d9"]);
    expect(stores.backups.importPath).toBeNull();
  });

  it("keeps the chosen file and shows the refusal when the passphrase is wrong", async () => {
    const { stores, names } = fakeStores({
      pickExisting: async () => "/b/x.qujat",
      importBackup: async () => Promise.reject({ code: "wrong-passphrase" }),
    });
    await stores.backups.chooseImport();
    expect(await stores.backups.import("nope")).toBe(false);
    expect(stores.backups.importPath).toBe("/b/x.qujat");
    expect(stores.backups.importError).toEqual({ kind: "core", error: { code: "wrong-passphrase" } });
    expect(names()).not.toContain("listDossiers");
  });
});

describe("RulesState", () => {
  const view = (url: string) => ({ url, packs: [], skipped: [] }) as unknown as RulesView;

  it("reads the programs and dossiers again when a pack was installed", async () => {
    const update: RulesUpdateReport = {
      rules: view("https://rules.example"),
      outcomes: [{ id: "p", update: { outcome: "installed" } as never }],
    };
    const { stores, names } = fakeStores({
      updateRules: async () => update,
      programs: async () => [],
      programListings: async () => [],
      listDossiers: async () => [],
    });
    stores.rules.url = "https://rules.example";
    await stores.rules.check();
    expect(names().sort()).toEqual(["listDossiers", "programListings", "programs", "updateRules"]);
    expect(stores.rules.outcomes).toEqual(update.outcomes);
    expect(stores.rules.checking).toBe(false);
  });

  it("reads nothing again when nothing was installed, and does not check a malformed address", async () => {
    const { stores, names } = fakeStores({
      updateRules: async () => ({ rules: view(""), outcomes: [{ id: "p", update: { outcome: "up-to-date" } as never }] }),
    });
    await stores.rules.check();
    expect(names()).toEqual(["updateRules"]);
    stores.rules.url = "ftp://x";
    expect(urlProblem(stores.rules.url)).toBe(true);
    await stores.rules.check();
    expect(names()).toEqual(["updateRules"]);
  });

  it("saves a changed address only", async () => {
    const { stores, calls } = fakeStores({ rulesStatus: async () => view("https://a"), setRulesUrl: async (url) => view(url) });
    await stores.rules.load();
    expect(stores.rules.url).toBe("https://a");
    await stores.rules.saveUrl();
    stores.rules.url = "https://b";
    await stores.rules.saveUrl();
    expect(calls).toEqual([["rulesStatus"], ["setRulesUrl", "https://b"]]);
    expect(stores.rules.view?.url).toBe("https://b");
  });
});
