// For unit tests of the state classes: a Backend whose every command is
// recorded and answered by the test, and the reports those answers carry.
// Rejections come as the real backend's do, as a BackendError; a command the
// test did not answer rejects too (as the bridge would refuse an unknown one),
// so an unexpected call shows in the state under test.

import type { Backend } from "../backend";
import type { DossierReport } from "../bindings/DossierReport";
import type { RequirementReport } from "../bindings/RequirementReport";
import type { StageReport } from "../bindings/StageReport";
import { BackendError, toAppError } from "../errors";
import { createStores } from "./context";

/** One recorded call: the command's name and its arguments. */
export type Call = [name: keyof Backend, ...args: unknown[]];

export function fakeBackend(answers: Partial<Backend> = {}): { backend: Backend; calls: Call[]; names: () => string[] } {
  const calls: Call[] = [];
  const backend = new Proxy({} as Backend, {
    get(_, name) {
      if (typeof name !== "string") return undefined;
      return (...args: unknown[]) => {
        calls.push([name as keyof Backend, ...args]);
        const answer = (answers as Record<string, (...a: unknown[]) => unknown>)[name];
        const raw = answer ? Promise.resolve().then(() => answer(...args)) : Promise.reject({ code: "not-answered-by-test", command: name });
        return raw.catch((e: unknown) => {
          throw new BackendError(toAppError(e));
        });
      };
    },
  });
  return { backend, calls, names: () => calls.map((c) => c[0]) };
}

/** The whole app's state over a fake backend, as App.svelte builds it. */
export function fakeStores(answers: Partial<Backend> = {}) {
  const side = fakeBackend(answers);
  return { ...side, stores: createStores(side.backend) };
}

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

/** Lets pending promises (and queued microtasks, e.g. announcements) run. */
export const settle = () => new Promise((r) => setTimeout(r, 0));

/** A promise the test resolves or rejects when it chooses. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
