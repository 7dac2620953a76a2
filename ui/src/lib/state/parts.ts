// The pieces of the app's state, by concern. Each state class names the
// pieces it needs (`Pick<AppParts, "nav" | "notices">`), so its tests build
// only those.

import type { DossierChanges } from "./dossier-changes.svelte";
import type { DossierList } from "./dossier-list.svelte";
import type { FileDrop } from "./file-drop.svelte";
import type { KeyGate } from "./key-gate.svelte";
import type { Navigation } from "./navigation.svelte";
import type { Notices } from "./notices.svelte";
import type { Session } from "./session.svelte";

export interface AppParts {
  notices: Notices;
  dossierList: DossierList;
  nav: Navigation;
  changes: DossierChanges;
  keys: KeyGate;
  session: Session;
  fileDrop: FileDrop;
}
