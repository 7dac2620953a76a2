// Files dragged from the desktop onto the window: the card under the pointer
// is highlighted, and a drop attaches the file to it (several files on a
// requirement that takes one PDF open the "make one PDF" strip instead).

import type { FileDrag } from "../backend";
import type { RequirementReport } from "../bindings/RequirementReport";
import { canCombine } from "../fixes";
import type { DossierChanges } from "./dossier-changes.svelte";
import type { Navigation } from "./navigation.svelte";
import type { Notices } from "./notices.svelte";

export class FileDrop {
  /** Files are being dragged over the window. */
  dragging = $state(false);
  /** The document card under a drag. */
  dropTarget = $state<string | null>(null);
  /** Several files dropped on a document requirement: set by the fixing state, which makes one PDF of them. */
  onSeveralFiles: ((requirement: RequirementReport, paths: string[]) => void) | null = null;

  readonly #nav: Pick<Navigation, "screen" | "report">;
  readonly #changes: Pick<DossierChanges, "attach">;
  readonly #notices: Pick<Notices, "showHint">;

  constructor(
    nav: Pick<Navigation, "screen" | "report">,
    changes: Pick<DossierChanges, "attach">,
    notices: Pick<Notices, "showHint">,
  ) {
    this.#nav = nav;
    this.#changes = changes;
    this.#notices = notices;
  }

  /** Follows a file drag; `target` is the document card under the pointer, if any. */
  async drag(drag: FileDrag, target: string | null): Promise<void> {
    if (drag.type === "leave") {
      this.dragging = false;
      this.dropTarget = null;
      return;
    }
    if (drag.type === "over") {
      this.dragging = true;
      this.dropTarget = target;
      return;
    }
    this.dragging = false;
    this.dropTarget = null;
    const first = drag.paths[0];
    if (first === undefined) return;
    const report = this.#nav.report;
    const requirement = target
      ? report?.stages.flatMap((s) => s.requirements).find((r) => r.id === target && r.kind === "document")
      : undefined;
    if (!report || !requirement) {
      this.#notices.showHint(this.#nav.screen.name === "dossier" ? "drop-outside" : "drop-no-dossier");
      return;
    }
    if (drag.paths.length > 1 && this.onSeveralFiles && canCombine(requirement)) {
      // A document is one file: several become one PDF, shown as pages first.
      this.onSeveralFiles(requirement, drag.paths);
      return;
    }
    if (drag.paths.length > 1) this.#notices.showHint("drop-first-only");
    await this.#changes.attach(requirement, first);
  }
}
