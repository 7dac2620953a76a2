// DossierInspection against a fake Rust side: when a job starts, what its
// steps show, whose report it leaves, and what stopping it does.
import { describe, expect, it } from "vitest";

import type { DossierReport } from "../bindings/DossierReport";
import type { InspectStep } from "../bindings/InspectStep";
import { DossierInspection } from "./inspecting.svelte";
import { deferred, fakeStores, report, requirement, settle, stage } from "./fake-backend";

const doc = (sha256: string) => ({ requirementId: "r", sha256, size: 1, kind: "pdf" as const, originalName: "a.pdf", attachedAt: "" });
const notInspected = { code: "not-inspected" } as never;
const waiting = report("d1", [
  stage("embassy", [
    requirement("passport", { document: doc("aa"), findings: [notInspected] }),
    requirement("diploma", { document: doc("bb"), findings: [notInspected] }),
  ]),
]);
const checked = report("d1", [stage("embassy", [requirement("passport", { document: doc("aa"), status: "ok" })])]);

async function opened(inspect: (jobId: string, dossierId: string, onStep: (s: InspectStep) => void) => Promise<DossierReport>) {
  const side = fakeStores({ dossierReport: async () => waiting, inspectDossier: inspect, cancelJob: async () => undefined });
  side.stores.dossierList.dossiers = [waiting];
  await side.stores.nav.openDossier("d1");
  side.calls.length = 0;
  const { backend, nav, changes, notices } = side.stores;
  return { ...side, inspection: new DossierInspection(backend, { nav, changes, notices }) };
}

describe("DossierInspection", () => {
  it("inspects the files without a verdict, follows the steps, then shows the fresh report", async () => {
    const answer = deferred<DossierReport>();
    let step: ((s: InspectStep) => void) | null = null;
    const { inspection, stores, calls } = await opened((_, __, onStep) => {
      step = onStep;
      return answer.promise;
    });
    inspection.ensure(waiting);
    expect(inspection.progress).toEqual({ done: 0, total: 2 });
    await settle();
    step!({ done: 0, total: 2, requirements: ["passport"], page: 2, pages: 5 });
    expect(inspection.progress).toEqual({ done: 0, total: 2, page: 2, pages: 5 });
    step!({ done: 1, total: 2, requirements: ["passport"] });
    expect(inspection.progress).toEqual({ done: 1, total: 2 });
    answer.resolve(checked);
    await settle();
    expect(calls[0]?.[0]).toBe("inspectDossier");
    expect(calls[0]?.[2]).toBe("d1");
    expect(stores.nav.report).toEqual(checked);
    expect(inspection.finished).toBe(true);
    expect(inspection.progress).toBeNull();
  });

  it("does not ask again about files it could not inspect", async () => {
    const { inspection, names } = await opened(async () => Promise.reject({ code: "inspect-failed" }));
    inspection.ensure(waiting);
    await settle();
    await settle();
    inspection.ensure(waiting);
    await settle();
    expect(names()).toEqual(["inspectDossier"]);
  });

  it("stops when the user cancels: the job is cancelled, its late answer and error ignored", async () => {
    const answer = deferred<DossierReport>();
    const { inspection, stores, calls } = await opened(() => answer.promise);
    inspection.ensure(waiting);
    await settle();
    inspection.cancel();
    answer.reject({ code: "cancelled" });
    await settle();
    const jobId = calls[0]?.[1];
    expect(calls[1]).toEqual(["cancelJob", jobId]);
    expect(inspection.stopped).toBe(true);
    expect(inspection.progress).toBeNull();
    expect(stores.notices.error).toBeNull();
    expect(stores.nav.report).toEqual(waiting);
  });

  it("starts nothing for a report whose files all have a verdict", async () => {
    const { inspection, names } = await opened(async () => checked);
    inspection.ensure(checked);
    await settle();
    expect(names()).toEqual([]);
    expect(inspection.progress).toBeNull();
  });
});
