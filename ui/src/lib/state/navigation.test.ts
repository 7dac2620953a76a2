// Navigation against a fake Rust side: what is shown while a dossier opens,
// when its fresh report comes, and where "Back" returns.
import { describe, expect, it } from "vitest";

import { DossierList } from "./dossier-list.svelte";
import { deferred, fakeBackend, report, requirement, settle, stage } from "./fake-backend";
import { Navigation } from "./navigation.svelte";
import { Notices } from "./notices.svelte";

function build(answers: Parameters<typeof fakeBackend>[0]) {
  const side = fakeBackend(answers);
  const notices = new Notices();
  const list = new DossierList(side.backend, notices);
  const nav = new Navigation(side.backend, notices, list);
  return { ...side, notices, list, nav };
}

const twoStages = (id: string, firstDone: boolean) =>
  report(id, [
    stage("embassy", [requirement("passport", { status: firstDone ? "ok" : "missing" })]),
    stage("arrival", [requirement("registration")]),
  ]);

describe("Navigation", () => {
  it("shows the listed report at once, then the core's fresh one on the stage with work left", async () => {
    const fresh = deferred<ReturnType<typeof twoStages>>();
    const { nav, list, calls } = build({ dossierReport: () => fresh.promise });
    list.dossiers = [twoStages("d1", false)];

    const opening = nav.openDossier("d1");
    expect(nav.screen).toEqual({ name: "dossier", dossierId: "d1" });
    expect(nav.report?.dossier.id).toBe("d1");
    expect(nav.stageId).toBe("embassy");

    fresh.resolve(twoStages("d1", true));
    await opening;
    expect(calls).toEqual([["dossierReport", "d1"]]);
    // The stage shown still exists, so it stays; the report is the fresh one.
    expect(nav.stageId).toBe("embassy");
    expect(nav.report?.stages[0]?.requirements[0]?.status).toBe("ok");
  });

  it("drops a report that comes after the user went elsewhere", async () => {
    const late = deferred<ReturnType<typeof twoStages>>();
    const { nav } = build({ dossierReport: () => late.promise, listDossiers: async () => [] });
    const opening = nav.openDossier("d1");
    await nav.backToList();
    late.resolve(twoStages("d1", false));
    await opening;
    expect(nav.screen).toEqual({ name: "list" });
    expect(nav.report).toBeNull();
  });

  it("goes back to the list with the error when an unlisted dossier cannot be read", async () => {
    const { nav, notices, names } = build({
      dossierReport: async () => Promise.reject({ code: "dossier-not-found", id: "gone" }),
      listDossiers: async () => [],
    });
    await nav.openDossier("gone");
    expect(nav.screen).toEqual({ name: "list" });
    expect(notices.error).toEqual({ kind: "core", error: { code: "dossier-not-found", id: "gone" } });
    expect(names()).toEqual(["dossierReport", "listDossiers"]);
  });

  it("keeps a listed dossier open when its fresh report fails, with the error shown", async () => {
    const { nav, list, notices } = build({ dossierReport: async () => Promise.reject(new Error("bridge down")) });
    list.dossiers = [twoStages("d1", false)];
    await nav.openDossier("d1");
    expect(nav.screen).toEqual({ name: "dossier", dossierId: "d1" });
    expect(notices.error).toEqual({ kind: "bridge", detail: "bridge down" });
  });

  it("returns from About and Settings to the dossier and the stage that were shown", async () => {
    const { nav, list } = build({ dossierReport: async (id) => twoStages(id, false) });
    list.dossiers = [twoStages("d1", false)];
    await nav.openDossier("d1");
    nav.selectStage("arrival");
    nav.openAbout();
    nav.openSettings();
    expect(nav.screen).toEqual({ name: "settings" });
    await nav.closeAbout();
    expect(nav.screen).toEqual({ name: "dossier", dossierId: "d1" });
    expect(nav.stageId).toBe("arrival");
  });

  it("is back on the stage that was shown before the fresh report comes", async () => {
    const fresh = deferred<ReturnType<typeof twoStages>>();
    let slow = false;
    const { nav, list } = build({
      dossierReport: async () => (slow ? fresh.promise : twoStages("d1", false)),
    });
    list.dossiers = [twoStages("d1", false)];
    await nav.openDossier("d1");
    nav.selectStage("arrival");
    nav.openAbout();
    slow = true;
    const closing = nav.closeAbout();
    expect(nav.screen).toEqual({ name: "dossier", dossierId: "d1" });
    expect(nav.stageId).toBe("arrival");
    fresh.resolve(twoStages("d1", true));
    await closing;
    expect(nav.stageId).toBe("arrival");
  });

  it("follows the case's stage when it comes, unless a stage was chosen first", async () => {
    const { nav, list } = build({ dossierReport: async () => twoStages("d1", false) });
    list.dossiers = [twoStages("d1", false)];
    await nav.openDossier("d1");
    nav.followCase("arrival");
    expect(nav.stageId).toBe("arrival");
    nav.followCase("no-such-stage");
    expect(nav.stageId).toBe("arrival");

    await nav.openDossier("d1");
    nav.selectStage("embassy");
    nav.followCase("arrival");
    expect(nav.stageId).toBe("embassy");

    // Back from About on the stage that was shown: the case's answer, late, does not move it.
    nav.selectStage("arrival");
    nav.openAbout();
    await nav.closeAbout();
    nav.followCase("embassy");
    expect(nav.stageId).toBe("arrival");
  });

  it("clears the error, the hint and the requirement to focus when the screen changes", async () => {
    const { nav, notices } = build({ listDossiers: async () => [] });
    notices.fail({ code: "x" });
    notices.showHint("drop-outside");
    nav.jumpTo("embassy", "passport");
    nav.openAbout();
    expect(notices.error).toBeNull();
    expect(notices.hint).toBeNull();
    expect(nav.focusRequirement).toBeNull();
    await settle();
  });
});
