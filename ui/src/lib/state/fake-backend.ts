// For unit tests of the state classes: a Backend whose every command is
// recorded and answered by the test, and the reports those answers carry.
// Rejections come as the real backend's do, as a BackendError; a command the
// test did not answer rejects too (as the bridge would refuse an unknown one),
// so an unexpected call shows in the state under test.

import type { Backend } from "../backend";
import { BackendError, toAppError } from "../errors";
import { createStores } from "./context";

export { report, requirement, stage } from "../fixtures";

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
