// The app's state, made once at the root from the backend it is given, and
// handed to components through Svelte's context. Nothing here is a module
// singleton: a test (or another root) builds its own with a fake backend.

import { getContext, setContext } from "svelte";

import type { Backend } from "../backend";
import { DemoState, PrintState, UndoRemoval } from "./demo.svelte";
import { DossierChanges } from "./dossier-changes.svelte";
import { DossierList } from "./dossier-list.svelte";
import { FileDrop } from "./file-drop.svelte";
import { Fixing } from "./fixing.svelte";
import { KeyGate } from "./key-gate.svelte";
import { Navigation } from "./navigation.svelte";
import { Notices } from "./notices.svelte";
import type { AppParts } from "./parts";
import { Session } from "./session.svelte";
import { BackupState, RulesState } from "./settings.svelte";

/** Every piece of state the window shows, wired to one backend. */
export function createStores(backend: Backend) {
  const notices = new Notices();
  const dossierList = new DossierList(backend, notices);
  const session = new Session(backend, notices, dossierList);
  const keys = new KeyGate();
  const nav = new Navigation(backend, notices, dossierList);
  const changes = new DossierChanges(backend, { notices, list: dossierList, nav, keys, ready: () => session.ready });
  const fileDrop = new FileDrop(nav, changes, notices);
  const parts: AppParts = { notices, dossierList, nav, changes, keys, session, fileDrop };
  const undoRemoval = new UndoRemoval(backend, parts);
  return {
    backend,
    ...parts,
    undoRemoval,
    fixing: new Fixing(backend, parts, undoRemoval),
    demo: new DemoState(backend, parts),
    printing: new PrintState(backend, parts),
    backups: new BackupState(backend, parts),
    rules: new RulesState(backend, parts),
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
