// The demo, the printable checklist and undoing a removal, against a fake
// Rust side.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { Backend } from "../backend";
import { fakeStores, report, requirement, settle, stage } from "./fake-backend";

const html = { classList: { toggle: vi.fn() } };
beforeEach(() => vi.stubGlobal("document", { documentElement: html }));
afterEach(() => vi.unstubAllGlobals());

const demoReport = report("demo1", undefined, { isDemo: true });

describe("DemoState", () => {
  it("opens the demo dossier there is instead of making another", async () => {
    const { stores, names } = fakeStores({ dossierReport: async () => demoReport });
    stores.dossierList.dossiers = [report("real"), demoReport];
    await stores.demo.open();
    expect(names()).toEqual(["dossierReport"]);
    expect(stores.nav.screen).toEqual({ name: "dossier", dossierId: "demo1" });
  });

  it("makes a demo in the current language, lists it and opens it", async () => {
    const { stores, calls } = fakeStores({
      createDemo: async () => ({ dossier: { id: "demo1" } }) as never,
      listDossiers: async () => [demoReport],
      dossierReport: async () => demoReport,
    });
    await stores.demo.open();
    expect(calls).toEqual([["createDemo", "en"], ["listDossiers"], ["dossierReport", "demo1"]]);
    expect(stores.nav.screen).toEqual({ name: "dossier", dossierId: "demo1" });
    expect(stores.demo.busy).toBe(false);
  });

  it("shows why a demo could not be made", async () => {
    const { stores } = fakeStores({ resetDemo: async () => Promise.reject({ code: "dossier-locked" }) });
    await stores.demo.reset();
    expect(stores.notices.error).toEqual({ kind: "core", error: { code: "dossier-locked" } });
    expect(stores.nav.screen).toEqual({ name: "list" });
  });

  it("in presentation mode, leaves a real dossier for the list and shows demo dossiers only", async () => {
    const real = report("real");
    const { stores } = fakeStores({ dossierReport: async () => real, listDossiers: async () => [real, demoReport] });
    stores.dossierList.dossiers = [real, demoReport];
    await stores.nav.openDossier("real");
    stores.demo.setPresentation(true);
    await settle();
    expect(html.classList.toggle).toHaveBeenCalledWith("presentation", true);
    expect(stores.nav.screen).toEqual({ name: "list" });
    expect(stores.demo.visible(stores.dossierList.dossiers).map((d) => d.dossier.id)).toEqual(["demo1"]);
  });
});

describe("PrintState", () => {
  it("saves the checklist ticked with the dossier's progress where chosen, and says where", async () => {
    const { stores, calls } = fakeStores({ pickSavePath: async () => "/p/list.pdf", saveChecklistPdf: async () => 2 });
    stores.printing.show("p", report("d1"));
    await stores.printing.savePdf();
    await settle();
    expect(calls[1]).toEqual(["saveChecklistPdf", "p", "d1", "en", "/p/list.pdf"]);
    expect(stores.printing.savedTo).toBe("/p/list.pdf");
    expect(stores.notices.announcement).toBe("Checklist saved to /p/list.pdf.");
  });

  it("saves the blank checklist without a dossier, and nothing when the dialog is closed", async () => {
    const answers: Partial<Backend> = { pickSavePath: async () => null };
    const { stores, names } = fakeStores(answers);
    stores.printing.show("p", report("d1"));
    stores.printing.blank();
    await stores.printing.savePdf();
    expect(names()).toEqual(["pickSavePath"]);
    expect(stores.printing.savedTo).toBeNull();
  });
});

describe("UndoRemoval", () => {
  const doc = { requirementId: "passport", sha256: "aa", size: 1, kind: "pdf" as const, originalName: "p.pdf", attachedAt: "" };
  const withDoc = report("d1", [stage("embassy", [requirement("passport", { document: doc, status: "ok" })])]);
  const without = report("d1", [stage("embassy", [requirement("passport")])]);

  it("removes the document, offers Undo for ten seconds, and Undo brings the same file back", async () => {
    vi.useFakeTimers();
    try {
      const { stores, calls } = fakeStores({
        dossierReport: async () => withDoc,
        detachDocument: async () => without,
        reattachDocument: async () => withDoc,
      });
      stores.dossierList.dossiers = [withDoc];
      await stores.nav.openDossier("d1");
      const passport = withDoc.stages[0]!.requirements[0]!;
      await stores.undoRemoval.remove(passport);
      expect(stores.undoRemoval.removed).toMatchObject({ sha256: "aa", originalName: "p.pdf", how: "removed" });
      await stores.undoRemoval.undo();
      expect(calls.at(-1)).toEqual(["reattachDocument", "d1", "passport", "aa", "p.pdf"]);
      expect(stores.nav.report).toEqual(withDoc);
      expect(stores.undoRemoval.removed).toBeNull();

      await stores.undoRemoval.remove(passport);
      vi.advanceTimersByTime(10_000);
      expect(stores.undoRemoval.removed).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it("offers nothing when the core refused the removal", async () => {
    const { stores } = fakeStores({
      dossierReport: async () => withDoc,
      detachDocument: async () => Promise.reject({ code: "dossier-locked" }),
    });
    stores.dossierList.dossiers = [withDoc];
    await stores.nav.openDossier("d1");
    await stores.undoRemoval.remove(withDoc.stages[0]!.requirements[0]!);
    expect(stores.undoRemoval.removed).toBeNull();
    expect(stores.notices.error).toEqual({ kind: "core", error: { code: "dossier-locked" } });
  });
});
