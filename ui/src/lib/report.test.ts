import { afterEach, describe, expect, it, vi } from "vitest";
import type { RequirementReport } from "./bindings/RequirementReport";
import type { RulePack } from "./bindings/RulePack";
import type { StageReport } from "./bindings/StageReport";
import { report as dossierReport, requirement, stage } from "./fixtures";
import { closedSince, initialStage, nextAction, progress, scrollBehavior, todayIso } from "./report";

afterEach(() => {
  vi.unstubAllGlobals();
});

const report = (stages: StageReport[]) => dossierReport("d1", stages);

const ok = (id: string, fields: Partial<RequirementReport> = {}) => requirement(id, { status: "ok", ...fields });
const optional = (id: string) => requirement(id, { presence: "optional" });

describe("scrollBehavior", () => {
  const prefers = (reduce: boolean) =>
    vi.stubGlobal("window", {
      matchMedia: (query: string) => ({ matches: reduce && query === "(prefers-reduced-motion: reduce)" }),
    });

  it("scrolls smoothly, and instantly when the user asked for less motion", () => {
    prefers(false);
    expect(scrollBehavior()).toBe("smooth");
    prefers(true);
    expect(scrollBehavior()).toBe("auto");
  });
});

describe("todayIso (the tests run in New York time)", () => {
  it("is the local day, padded", () => {
    expect(todayIso(new Date(2026, 0, 5, 12, 0))).toBe("2026-01-05");
    expect(todayIso(new Date(2026, 10, 19, 0, 0))).toBe("2026-11-19");
  });

  it("is the user's day, not UTC's, late in the evening", () => {
    // 03:00 UTC on 1 January is still 31 December in New York.
    expect(todayIso(new Date("2026-01-01T03:00:00Z"))).toBe("2025-12-31");
    expect(todayIso(new Date(2026, 11, 31, 23, 59))).toBe("2026-12-31");
  });

  it("defaults to now", () => {
    vi.useFakeTimers({ now: new Date(2026, 6, 4, 9, 30) });
    try {
      expect(todayIso()).toBe("2026-07-04");
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("progress", () => {
  it("counts required items ready out of all required ones; optional ones do not count", () => {
    const r = report([
      stage("a", [ok("passport"), requirement("diploma"), optional("cv")]),
      stage("b", [requirement("photo", { status: "problem" }), ok("contract")]),
    ]);
    expect(progress(r)).toEqual({ done: 2, total: 4 });
  });

  it("counts a requirement listed in several stages once", () => {
    const r = report([
      stage("hub", [ok("police"), requirement("diploma")]),
      stage("egov", [ok("police"), requirement("diploma"), ok("photo")]),
    ]);
    expect(progress(r)).toEqual({ done: 2, total: 3 });
  });

  it("is zero of zero for a dossier without required items", () => {
    expect(progress(report([]))).toEqual({ done: 0, total: 0 });
    expect(progress(report([stage("a", [optional("cv")])]))).toEqual({ done: 0, total: 0 });
  });
});

describe("nextAction and initialStage", () => {
  it("is the first required item not ok, in procedure order, missing or with a problem", () => {
    const r = report([
      stage("a", [ok("passport"), optional("cv")]),
      stage("b", [ok("photo"), requirement("diploma", { status: "problem" }), requirement("contract")]),
    ]);
    const next = nextAction(r);
    expect(next?.stage.id).toBe("b");
    expect(next?.requirement.id).toBe("diploma");
    expect(initialStage(r)).toBe("b");
  });

  it("skips optional items, and is null when every required item is ok", () => {
    const r = report([stage("a", [ok("passport"), optional("cv")]), stage("b", [ok("photo")])]);
    expect(nextAction(r)).toBeNull();
    // Nothing to do: the dossier opens on its first stage.
    expect(initialStage(r)).toBe("a");
  });

  it("opens nothing for a dossier without stages", () => {
    expect(nextAction(report([]))).toBeNull();
    expect(initialStage(report([]))).toBeNull();
  });
});

describe("closedSince", () => {
  const pack = (closes?: string): RulePack => ({
    format: 1,
    id: "p",
    version: "1",
    reviewed: "2026-01-01",
    "review-by": "2026-06-30",
    status: "open",
    name: { en: "P" },
    summary: { en: "" },
    ...(closes === undefined ? {} : { window: { closes, note: { en: "" }, sources: [] } }),
    defaults: { accepts: ["pdf"], "max-size-mib": 10, "limits-basis": "s" },
    sources: [],
    unknowns: [],
    requirements: [],
    stages: [],
    events: [],
    deadlines: [],
  });

  it("is the closing day once it is past, and null on and before it", () => {
    expect(closedSince(pack("2026-03-31"), "2026-04-01")).toBe("2026-03-31");
    expect(closedSince(pack("2026-03-31"), "2027-01-01")).toBe("2026-03-31");
    expect(closedSince(pack("2026-03-31"), "2026-03-31")).toBeNull();
    expect(closedSince(pack("2026-03-31"), "2025-12-01")).toBeNull();
  });

  it("is null without a pack, a window, or a closing day", () => {
    expect(closedSince(undefined, "2026-04-01")).toBeNull();
    expect(closedSince(pack(), "2026-04-01")).toBeNull();
    const opensOnly = { ...pack(), window: { opens: "2026-01-01", note: { en: "" }, sources: [] } };
    expect(closedSince(opensOnly, "2026-04-01")).toBeNull();
  });
});
