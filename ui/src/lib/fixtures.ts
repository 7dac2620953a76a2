// Reports for unit tests: a requirement, a stage and a dossier's report with
// every field the core sends, so each test names only what it is about.

import type { DossierReport } from "./bindings/DossierReport";
import type { RequirementReport } from "./bindings/RequirementReport";
import type { StageReport } from "./bindings/StageReport";

export function requirement(id: string, fields: Partial<RequirementReport> = {}): RequirementReport {
  return {
    id,
    kind: "document",
    presence: "required",
    name: { en: id },
    guidance: { en: "" },
    accepts: ["pdf"],
    maxSize: 1024,
    rules: [],
    status: "missing",
    reasons: [],
    alsoIn: [],
    findings: [],
    dates: {},
    datesFound: [],
    ...fields,
  };
}

export function stage(id: string, requirements: RequirementReport[]): StageReport {
  return { id, name: { en: id }, description: { en: "" }, complete: false, requiredDone: 0, requiredTotal: 0, requirements };
}

export function report(
  id: string,
  stages: StageReport[] = [stage("embassy", [requirement("passport")])],
  dossier: Partial<DossierReport["dossier"]> = {},
): DossierReport {
  return {
    dossier: {
      id,
      programId: "p",
      applicantName: "Aigerim",
      createdAt: "2026-01-01T00:00:00Z",
      updatedAt: "2026-01-01T00:00:00Z",
      isDemo: false,
      ...dossier,
    },
    program: { id: "p", version: "1", name: { en: "P" }, closed: false, reviewed: "2026-01-01", reviewBy: "2026-06-30", reviewOverdue: false },
    complete: false,
    stages,
  };
}
