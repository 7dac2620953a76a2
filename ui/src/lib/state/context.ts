// The app's state, made once at the root from the backend it is given, and
// handed to components through Svelte's context. Nothing here is a module
// singleton: a test (or another root) builds its own with a fake backend.

import { getContext, setContext } from "svelte";

import type { Backend } from "../backend";
import { AppState } from "./app.svelte";
import { DemoState, PrintState, UndoRemoval } from "./demo.svelte";
import { Fixing } from "./fixing.svelte";
import { BackupState, RulesState } from "./settings.svelte";

/** Every piece of state the window shows, wired to one backend. */
export function createStores(backend: Backend) {
  const app = new AppState(backend);
  const undoRemoval = new UndoRemoval(backend, app);
  return {
    backend,
    app,
    undoRemoval,
    fixing: new Fixing(backend, app, undoRemoval),
    demo: new DemoState(backend, app),
    printing: new PrintState(backend, app),
    backups: new BackupState(backend, app),
    rules: new RulesState(backend, app),
  };
}

export type Stores = ReturnType<typeof createStores>;

const KEY = Symbol("qujat-stores");

/** Makes `stores` what `getStores` answers in the components below (called by App.svelte). */
export function setStores(stores: Stores): Stores {
  return setContext(KEY, stores);
}

/** The app's state, for a component under App.svelte. */
export function getStores(): Stores {
  const stores = getContext<Stores | undefined>(KEY);
  if (!stores) throw new Error("getStores() outside App.svelte");
  return stores;
}
