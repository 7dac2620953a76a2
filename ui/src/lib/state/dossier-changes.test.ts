// Dossier changes against a fake Rust side: what each answer or refusal
// leaves on screen, in the list and in the screen reader's line.
import { describe, expect, it } from "vitest";

import type { DossierReport } from "../bindings/DossierReport";
import { deferred, fakeStores, report, requirement, settle, stage } from "./fake-backend";

const passport = requirement("passport", { accepts: ["pdf", "jpeg"] });
const withPassport = (status: "ok" | "missing" | "problem") =>
  report("d1", [stage("embassy", [requirement("passport", { status })])]);

/** The app's state with dossier d1 open. */
async function opened(answers: Parameters<typeof fakeStores>[0] = {}) {
  const side = fakeStores({ dossierReport: async () => withPassport("missing"), ...answers });
  side.stores.dossierList.dossiers = [withPassport("missing"), report("d2")];
  await side.stores.nav.openDossier("d1");
  side.calls.length = 0;
  return side;
}

describe("DossierChanges", () => {
  it("attaches the file chosen in the dialog, marks the requirement busy meanwhile, and takes the fresh report", async () => {
    const answer = deferred<DossierReport>();
    const { stores, calls } = await opened({
      pickDocument: async () => "/home/a/passport.pdf",
      attachDocument: () => answer.promise,
    });
    const attaching = stores.changes.attach(passport);
    await settle();
    expect(stores.changes.activity).toEqual({ passport: "attaching" });
    answer.resolve(withPassport("ok"));
    await attaching;
    await settle();
    expect(calls.map((c) => c[0])).toEqual(["pickDocument", "attachDocument"]);
    expect(calls[1]).toEqual(["attachDocument", "d1", "passport", "/home/a/passport.pdf"]);
    expect(stores.changes.activity).toEqual({});
    expect(stores.nav.report?.stages[0]?.requirements[0]?.status).toBe("ok");
    expect(stores.dossierList.find("d1")?.stages[0]?.requirements[0]?.status).toBe("ok");
    expect(stores.notices.announcement).toBe("passport: file attached and checked.");
  });

  it("offers the accepted kinds in the dialog and attaches nothing when it is closed", async () => {
    const { stores, calls } = await opened({ pickDocument: async () => null });
    await stores.changes.attach(passport);
    expect(calls).toHaveLength(1);
    const [, accepts, labels] = calls[0]!;
    expect(accepts).toEqual(["pdf", "jpeg"]);
    expect((labels as { accepted: string }).accepted).toContain("PDF, JPEG");
    expect(stores.changes.activity).toEqual({});
  });

  it("shows the core's refusal and frees the requirement", async () => {
    const { stores } = await opened({
      detachDocument: async () => Promise.reject({ code: "dossier-locked" }),
    });
    stores.notices.announcement = "before";
    await stores.changes.detach(passport);
    expect(stores.notices.error).toEqual({ kind: "core", error: { code: "dossier-locked" } });
    expect(stores.changes.activity).toEqual({});
    expect(stores.nav.report?.stages[0]?.requirements[0]?.status).toBe("missing");
    expect(stores.notices.announcement).toBe("before");
  });

  it("does not start a second change on a requirement that is busy", async () => {
    const answer = deferred<DossierReport>();
    const { stores, calls } = await opened({ confirmStep: () => answer.promise });
    const first = stores.changes.confirm(passport, "2026-03-01");
    await stores.changes.confirm(passport, "2026-03-02");
    answer.resolve(withPassport("ok"));
    await first;
    expect(calls).toEqual([["confirmStep", "d1", "passport", "2026-03-01"]]);
  });

  it("keeps a background report off the screen while a change runs, but lists it", async () => {
    const answer = deferred<DossierReport>();
    const { stores } = await opened({ setDocumentDates: () => answer.promise });
    const dating = stores.changes.setDates(passport, "2025-01-01", null);
    await settle();
    stores.changes.takeReport(withPassport("problem"));
    expect(stores.nav.report?.stages[0]?.requirements[0]?.status).toBe("missing");
    expect(stores.dossierList.find("d1")?.stages[0]?.requirements[0]?.status).toBe("problem");
    answer.resolve(withPassport("ok"));
    await dating;
    expect(stores.nav.report?.stages[0]?.requirements[0]?.status).toBe("ok");
  });

  it("drops a quiet refresh that a change overtook", async () => {
    const stale = deferred<DossierReport>();
    let open = true;
    const { stores, calls } = await opened({
      // Opening answers at once; the quiet refresh after it waits.
      dossierReport: () => (open ? Promise.resolve(withPassport("missing")) : stale.promise),
      unconfirmStep: async () => withPassport("missing"),
    });
    open = false;
    stores.session.ready = true;
    const refreshing = stores.changes.refresh();
    await stores.changes.undo(passport);
    stale.resolve(withPassport("ok"));
    await refreshing;
    expect(calls.map((c) => c[0])).toEqual(["dossierReport", "unconfirmStep"]);
    expect(stores.nav.report?.stages[0]?.requirements[0]?.status).toBe("missing");
  });

  it("waits for a passphrase on a first run, then creates the dossier and opens it", async () => {
    const made = report("new", undefined, { applicantName: "Daniyar" });
    const { stores, calls } = fakeStores({ createDossier: async () => made });
    stores.keys.keyNeeded = true;
    expect(await stores.changes.create("p", "  Daniyar  ")).toBe(false);
    expect(stores.keys.askKey).toBe(true);
    expect(calls).toEqual([]);

    await stores.keys.keyChosen();
    await settle();
    expect(calls).toEqual([["createDossier", "p", "Daniyar", false]]);
    expect(stores.nav.screen).toEqual({ name: "dossier", dossierId: "new" });
    expect(stores.dossierList.dossiers[0]?.dossier.id).toBe("new");
    expect(stores.notices.announcement).toContain("Daniyar");
  });

  it("deletes a dossier, drops it from the list and goes back to the list", async () => {
    const { stores, calls } = await opened({ deleteDossier: async () => undefined, listDossiers: async () => [report("d2")] });
    await stores.changes.remove("d1");
    expect(calls.map((c) => c[0])).toEqual(["deleteDossier", "listDossiers"]);
    expect(stores.nav.screen).toEqual({ name: "list" });
    expect(stores.dossierList.dossiers.map((d) => d.dossier.id)).toEqual(["d2"]);
  });

  it("renames the applicant and says the new name", async () => {
    const renamed = report("d1", [stage("embassy", [requirement("passport", { status: "ok" })])], { applicantName: "AIGERIM SAPAR" });
    const { stores, calls } = await opened({ renameDossier: async () => renamed });
    await stores.changes.renameApplicant(passport, "AIGERIM SAPAR");
    await settle();
    expect(calls).toEqual([["renameDossier", "d1", "AIGERIM SAPAR"]]);
    expect(stores.nav.report?.dossier.applicantName).toBe("AIGERIM SAPAR");
    expect(stores.notices.announcement).toContain("AIGERIM SAPAR");
  });
});
