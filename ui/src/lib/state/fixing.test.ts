// Fixing a requirement's file against a fake Rust side: the steps of a
// one-step fix, the password an unlock may need, the page strip of
// "make one PDF", and what Replace, Discard and Cancel leave behind.
import { describe, expect, it } from "vitest";

import type { Backend } from "../backend";
import type { FixProposal } from "../bindings/FixProposal";
import { deferred, fakeStores, report, requirement, settle, stage } from "./fake-backend";

const doc = (sha256: string) => ({ requirementId: "passport", sha256, size: 9, kind: "pdf" as const, originalName: "scan.pdf", attachedAt: "" });
const passport = requirement("passport", { document: doc("old") });
const before = report("d1", [stage("embassy", [passport])]);
const after = report("d1", [stage("embassy", [requirement("passport", { document: doc("new"), status: "ok" })])]);
const proposal = { dossierId: "d1", requirementId: "passport", sha256: "new", name: "scan.pdf", limit: 1, replaces: doc("old") } as FixProposal;

async function opened(answers: Partial<Backend>) {
  const side = fakeStores({ dossierReport: async () => before, discardFix: async () => undefined, cancelJob: async () => undefined, ...answers });
  side.stores.dossierList.dossiers = [before];
  await side.stores.nav.openDossier("d1");
  side.calls.length = 0;
  return side;
}

describe("Fixing", () => {
  it("shrinks the file, shows the result, and Replace makes it the document with Undo offered", async () => {
    const { stores, calls } = await opened({ proposeShrink: async () => proposal, acceptFix: async () => after });
    await stores.fixing.start(passport, "shrink");
    expect(stores.fixing.phase).toEqual({ name: "result", proposal });
    await stores.fixing.accept();
    expect(calls.map((c) => c[0])).toEqual(["proposeShrink", "acceptFix"]);
    expect(calls[1]).toEqual(["acceptFix", "d1", "passport", "new"]);
    expect(stores.fixing.phase).toBeNull();
    expect(stores.nav.report).toEqual(after);
    expect(stores.undoRemoval.removed).toMatchObject({ requirementId: "passport", sha256: "old", how: "replaced" });
    stores.undoRemoval.dismiss();
  });

  it("keeps the result on screen when the core refuses it, and Discard deletes it", async () => {
    const { stores, calls } = await opened({
      proposeCropPhoto: async () => proposal,
      acceptFix: async () => Promise.reject({ code: "dossier-locked" }),
    });
    await stores.fixing.start(passport, "crop");
    await stores.fixing.accept();
    expect(stores.fixing.phase?.name).toBe("result");
    expect(stores.notices.error).toEqual({ kind: "core", error: { code: "dossier-locked" } });
    stores.fixing.discard();
    expect(calls.at(-1)).toEqual(["discardFix", "d1", "passport", "new"]);
    expect(stores.fixing.phase).toBeNull();
  });

  it("asks for the PDF's password when the core needs one, and sends it on the second run", async () => {
    const answers: unknown[] = [{ code: "fix-needs-password" }, { code: "fix-wrong-password" }, proposal];
    const { stores, calls } = await opened({
      proposeUnlock: async () => {
        const next = answers.shift();
        if (next === proposal) return proposal;
        throw next;
      },
    });
    await stores.fixing.start(passport, "unlock");
    expect(stores.fixing.phase).toEqual({ name: "password", error: null });
    await stores.fixing.run("wrong");
    expect(stores.fixing.phase).toEqual({ name: "password", error: { kind: "core", error: { code: "fix-wrong-password" } } });
    await stores.fixing.run("right");
    expect(calls.map((c) => c[4])).toEqual([null, "wrong", "right"]);
    expect(stores.fixing.phase?.name).toBe("result");
  });

  it("closes a one-step fix that was cancelled, telling the core to stop", async () => {
    const answer = deferred<FixProposal>();
    const { stores, calls } = await opened({ proposeShrink: () => answer.promise });
    const running = stores.fixing.start(passport, "shrink");
    await settle();
    stores.fixing.cancel();
    expect(stores.fixing.phase).toMatchObject({ name: "running", cancelling: true });
    answer.reject({ code: "cancelled" });
    await running;
    expect(calls.map((c) => c[0])).toEqual(["proposeShrink", "cancelJob"]);
    expect(calls[1]?.[1]).toBe(calls[0]?.[1]);
    expect(stores.fixing.phase).toBeNull();
  });

  it("makes one PDF of the current file and dropped files, in the order and turns of the strip", async () => {
    const unreadable = new ArrayBuffer(4);
    const { stores, calls } = await opened({
      documentContent: async () => unreadable,
      fixSourceContent: async () => unreadable,
      proposeCombine: async () => proposal,
    });
    // Several files dropped on the card open the strip with all of them.
    await stores.fileDrop.drag({ type: "drop", x: 0, y: 0, paths: ["/a.jpg", "/b.pdf"] }, "passport");
    await settle();
    expect(stores.fixing.phase).toEqual({ name: "strip" });
    expect(stores.fixing.sources.map((s) => s.name)).toEqual(["scan.pdf", "a.jpg", "b.pdf"]);
    stores.fixing.move(2, -2);
    stores.fixing.rotate(0);
    stores.fixing.remove(2);
    await stores.fixing.run(null);
    const combine = calls.find((c) => c[0] === "proposeCombine")!;
    expect(combine[4]).toEqual([{ from: "file", path: "/b.pdf" }, { from: "vault", sha256: "old" }]);
    expect(combine[5]).toEqual([
      { input: 0, page: 1, rotate: 90 },
      { input: 1, page: 1, rotate: 0 },
    ]);
    expect(stores.fixing.phase?.name).toBe("result");
  });

  it("goes back to the strip with the core's reason when making the PDF fails", async () => {
    const { stores } = await opened({
      documentContent: async () => new ArrayBuffer(4),
      proposeCombine: async () => Promise.reject({ code: "fix-too-large" }),
    });
    await stores.fixing.start(passport, "combine");
    await stores.fixing.run(null);
    expect(stores.fixing.phase).toEqual({ name: "strip" });
    expect(stores.fixing.stripError).toEqual({ kind: "core", error: { code: "fix-too-large" } });
  });
});
