// Small pure helpers over the core's report and rule-pack types.

import type { DossierReport } from "./bindings/DossierReport";
import type { RequirementReport } from "./bindings/RequirementReport";
import type { RulePack } from "./bindings/RulePack";
import type { StageReport } from "./bindings/StageReport";

/** How to scroll things into view: instantly when the user asked for less motion. */
export function scrollBehavior(): ScrollBehavior {
  return window.matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth";
}

/** Today as YYYY-MM-DD in local time (the day the user lives in). */
export function todayIso(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * Required items ready out of all required items in the dossier. A
 * requirement listed in several stages (the police clearance) counts once.
 */
export function progress(report: DossierReport): { done: number; total: number } {
  const seen = new Map<string, boolean>();
  for (const stage of report.stages) {
    for (const r of stage.requirements) {
      if (r.presence === "required" && !seen.has(r.id)) seen.set(r.id, r.status === "ok");
    }
  }
  let done = 0;
  for (const ok of seen.values()) if (ok) done += 1;
  return { done, total: seen.size };
}

export interface NextAction {
  stage: StageReport;
  requirement: RequirementReport;
}

/**
 * The one thing to do next: the first required item, in procedure order,
 * that is not ok yet (missing, or attached with a problem). Null when every
 * required item is in place.
 */
export function nextAction(report: DossierReport): NextAction | null {
  for (const stage of report.stages) {
    for (const requirement of stage.requirements) {
      if (requirement.presence === "required" && requirement.status !== "ok") return { stage, requirement };
    }
  }
  return null;
}

/**
 * The stage to show while a dossier opens, from the report alone; the
 * dossier view moves to the stage of the core's next step (which knows the
 * case's events and deadlines) as soon as it arrives.
 */
export function initialStage(report: DossierReport): string | null {
  return nextAction(report)?.stage.id ?? report.stages[0]?.id ?? null;
}

/** The closing day of a program's known window, if it is before `today`. */
export function closedSince(pack: RulePack | undefined, today: string): string | null {
  const closes = pack?.window?.closes;
  return closes !== undefined && closes < today ? closes : null;
}
