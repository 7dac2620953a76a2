// Session, FileDrop and KeyGate against a fake Rust side: what the window
// loads at start, what a drop does, and the first run's passphrase gate.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { Settings } from "../bindings/Settings";
import { i18n } from "../i18n/i18n.svelte";
import { fakeStores, report, requirement, settle, stage } from "./fake-backend";

const html = { lang: "", dataset: {} as Record<string, string>, classList: { toggle: () => undefined } };

beforeEach(() => {
  html.lang = "";
  html.dataset = {};
  vi.stubGlobal("document", { documentElement: html });
  vi.stubGlobal("navigator", { languages: ["ru-RU"], language: "ru-RU" });
  i18n.use("en");
  i18n.picked = null;
});

afterEach(() => {
  vi.unstubAllGlobals();
});

const saved = (fields: Partial<Settings>) => ({ language: "kk", theme: "dark", ...fields }) as Settings;

describe("Session", () => {
  it("starts in the saved language and theme with the programs and dossiers loaded", async () => {
    const { stores, names } = fakeStores({
      settings: async () => saved({}),
      programs: async () => [{ id: "p" }] as never,
      programListings: async () => [{ id: "p" }] as never,
      listDossiers: async () => [report("d1")],
      allowNotifications: async () => true,
    });
    await stores.session.start();
    expect(stores.session.ready).toBe(true);
    expect(i18n.lang).toBe("kk");
    expect(html.lang).toBe("kk");
    expect(html.dataset.theme).toBe("dark");
    expect(stores.session.program("p")).toEqual({ id: "p" });
    expect(stores.dossierList.dossiers.map((d) => d.dossier.id)).toEqual(["d1"]);
    expect(names()).not.toContain("setLanguage");
  });

  it("without saved settings, speaks the system's language and still loads the rest", async () => {
    const { stores } = fakeStores({
      settings: async () => Promise.reject({ code: "settings-unreadable" }),
      programs: async () => [],
      programListings: async () => [],
      listDossiers: async () => [report("d1")],
      allowNotifications: async () => false,
    });
    await stores.session.start();
    expect(i18n.lang).toBe("ru");
    expect(html.dataset.theme).toBe("system");
    expect(stores.notices.error).toEqual({ kind: "core", error: { code: "settings-unreadable" } });
    expect(stores.dossierList.dossiers).toHaveLength(1);
    expect(stores.session.ready).toBe(true);
  });

  it("saves a language picked on the unlock screen once the folder is open", async () => {
    const { stores, calls } = fakeStores({
      settings: async () => saved({ language: "en" }),
      setLanguage: async () => undefined,
      programs: async () => [],
      programListings: async () => [],
      listDossiers: async () => [],
      allowNotifications: async () => true,
    });
    i18n.chooseBeforeOpen("kk");
    await stores.session.start();
    expect(i18n.lang).toBe("kk");
    expect(calls).toContainEqual(["setLanguage", "kk"]);
  });

  it("is ready (showing the error) when the programs cannot be read", async () => {
    const { stores } = fakeStores({
      settings: async () => saved({}),
      programs: async () => Promise.reject({ code: "rules-invalid" }),
      programListings: async () => [],
      listDossiers: async () => [],
    });
    await stores.session.start();
    expect(stores.session.ready).toBe(true);
    expect(stores.notices.error).toEqual({ kind: "core", error: { code: "rules-invalid" } });
  });

  it("saves a chosen theme and shows a refusal as the error", async () => {
    const { stores, calls } = fakeStores({ setTheme: async () => Promise.reject({ code: "settings-unwritable" }) });
    await stores.session.chooseTheme("light");
    expect(html.dataset.theme).toBe("light");
    expect(calls).toEqual([["setTheme", "light"]]);
    expect(stores.notices.error).toEqual({ kind: "core", error: { code: "settings-unwritable" } });
    await stores.session.chooseTheme("purple");
    expect(calls).toHaveLength(1);
  });
});

describe("FileDrop", () => {
  const docs = report("d1", [
    stage("embassy", [
      requirement("passport", { accepts: ["pdf"] }),
      requirement("photo", { accepts: ["jpeg"] }),
      requirement("arrival", { kind: "step" }),
    ]),
  ]);

  async function opened() {
    const side = fakeStores({ dossierReport: async () => docs, attachDocument: async () => docs });
    side.stores.dossierList.dossiers = [docs];
    await side.stores.nav.openDossier("d1");
    side.calls.length = 0;
    return side;
  }

  it("highlights the card under a drag and attaches the dropped file to it", async () => {
    const { stores, calls } = await opened();
    await stores.fileDrop.drag({ type: "over", x: 1, y: 2 }, "passport");
    expect(stores.fileDrop.dragging).toBe(true);
    expect(stores.fileDrop.dropTarget).toBe("passport");
    await stores.fileDrop.drag({ type: "drop", x: 1, y: 2, paths: ["/a.pdf"] }, "passport");
    expect(stores.fileDrop.dragging).toBe(false);
    expect(calls).toEqual([["attachDocument", "d1", "passport", "/a.pdf"]]);
  });

  it("hints instead of attaching when the drop misses a document card", async () => {
    const { stores, calls } = await opened();
    await stores.fileDrop.drag({ type: "drop", x: 0, y: 0, paths: ["/a.pdf"] }, "arrival");
    expect(stores.notices.hint).toBe("drop-outside");
    expect(calls).toEqual([]);
    stores.notices.dismissHint();
  });

  it("on the start screen, says a dossier must be open", async () => {
    const { stores, calls } = fakeStores();
    await stores.fileDrop.drag({ type: "drop", x: 0, y: 0, paths: ["/a.pdf"] }, null);
    expect(stores.notices.hint).toBe("drop-no-dossier");
    expect(calls).toEqual([]);
    stores.notices.dismissHint();
  });

  it("hands several files for a PDF requirement to the page strip, and attaches the first of several images", async () => {
    const { stores, calls } = await opened();
    const several: string[][] = [];
    stores.fileDrop.onSeveralFiles = (_, paths) => several.push(paths);
    await stores.fileDrop.drag({ type: "drop", x: 0, y: 0, paths: ["/1.pdf", "/2.jpg"] }, "passport");
    expect(several).toEqual([["/1.pdf", "/2.jpg"]]);
    expect(calls).toEqual([]);

    await stores.fileDrop.drag({ type: "drop", x: 0, y: 0, paths: ["/1.jpg", "/2.jpg"] }, "photo");
    expect(stores.notices.hint).toBe("drop-first-only");
    expect(calls).toEqual([["attachDocument", "d1", "photo", "/1.jpg"]]);
    stores.notices.dismissHint();
  });
});

describe("KeyGate", () => {
  it("runs nothing when the user goes back from choosing a passphrase", async () => {
    const { stores, calls } = fakeStores();
    stores.keys.keyNeeded = true;
    await stores.demo.open();
    expect(stores.keys.askKey).toBe(true);
    stores.keys.keyDeclined();
    await stores.keys.keyChosen();
    await settle();
    expect(stores.keys.askKey).toBe(false);
    expect(calls).toEqual([]);
  });
});
