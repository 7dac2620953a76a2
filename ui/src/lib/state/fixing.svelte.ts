// Issue 13 in the window: a requirement's file fixed by Qujat itself. The
// fix is offered on the finding (lib/fixes.ts says which), runs in the
// background with "page 2 of 5" and Cancel, and its result is shown —
// sizes, pages, resolution, the first page before and after — before
// "Replace" makes it the document (the old one can be brought back with
// Undo) or "Discard" deletes it. "Make one PDF" first shows the pages as a
// strip to reorder, turn and remove.

import type { Backend } from "../backend";
import { BackendError, toAppError, type AppError } from "../errors";
import type { FixProposal } from "../bindings/FixProposal";
import type { FixSource } from "../bindings/FixSource";
import type { FixStep } from "../bindings/FixStep";
import type { RequirementReport } from "../bindings/RequirementReport";
import { combineRequest, moveTile, turned, type FixKind, type Tile } from "../fixes";
import { i18n, t } from "../i18n/i18n.svelte";
import { openPdf } from "../pdf";
import type { AppParts } from "./parts";
import type { UndoRemoval } from "./demo.svelte";
import { newJobId } from "./jobs";

/** The most pages drawn as thumbnails per PDF; later pages show their number only. */
const MOST_THUMBNAILS = 40;
/** Thumbnail width in CSS pixels (drawn at twice that for sharp screens). */
const THUMB_WIDTH = 96;

/** A file in the strip: where it comes from, and its pages' pictures. */
export interface StripSource {
  source: FixSource;
  name: string;
  /** A picture per page (object or data URLs); missing where none could be made. */
  thumbs: (string | null)[];
}

type Phase =
  | { name: "strip" }
  | { name: "password"; error: AppError | null }
  | { name: "running"; step: FixStep | null; cancelling: boolean }
  | { name: "result"; proposal: FixProposal }
  | { name: "failed"; error: AppError };

/** What fixing asks of the Rust side. */
export type FixBackend = Pick<
  Backend,
  | "documentContent"
  | "pickPages"
  | "fixSourceContent"
  | "proposeCombine"
  | "proposeShrink"
  | "proposeCropPhoto"
  | "proposeUnlock"
  | "cancelJob"
  | "acceptFix"
  | "discardFix"
>;

export class Fixing {
  kind = $state<FixKind | null>(null);
  requirement = $state.raw<RequirementReport | null>(null);
  phase = $state.raw<Phase | null>(null);
  sources = $state.raw<StripSource[]>([]);
  tiles = $state.raw<Tile[]>([]);
  /** Files being read for their thumbnails. */
  loading = $state(0);
  /** A problem in the strip (a file that cannot be shown), kept apart from the run's. */
  stripError = $state.raw<AppError | null>(null);
  accepting = $state(false);
  #dossierId: string | null = null;
  #job: string | null = null;
  #tileCounter = 0;

  readonly #backend: FixBackend;
  readonly #parts: Pick<AppParts, "nav" | "changes" | "fileDrop">;
  readonly #undoRemoval: Pick<UndoRemoval, "offer">;

  constructor(backend: FixBackend, parts: Pick<AppParts, "nav" | "changes" | "fileDrop">, undoRemoval: Pick<UndoRemoval, "offer">) {
    this.#backend = backend;
    this.#parts = parts;
    this.#undoRemoval = undoRemoval;
    // Several files dropped on a requirement open the strip with all of them.
    this.#parts.fileDrop.onSeveralFiles = (requirement, paths) => void this.start(requirement, "combine", paths);
  }

  /** Starts `kind` for the requirement; "combine" opens the strip (with `paths`, and the current file). */
  async start(requirement: RequirementReport, kind: FixKind, paths: string[] = []): Promise<void> {
    const dossierId = this.#parts.nav.openId();
    if (!dossierId || this.phase) return;
    this.#dossierId = dossierId;
    this.kind = kind;
    this.requirement = requirement;
    this.sources = [];
    this.tiles = [];
    this.stripError = null;
    if (kind === "combine") {
      this.phase = { name: "strip" };
      const doc = requirement.document;
      if (doc && (doc.kind === "pdf" || doc.kind === "jpeg" || doc.kind === "png")) {
        await this.#add({ from: "vault", sha256: doc.sha256 }, doc.originalName, () =>
          this.#backend.documentContent(dossierId, requirement.id),
        );
      }
      for (const path of paths) await this.#addPath(path);
    } else {
      await this.run(null);
    }
  }

  /** Asks for more files and adds their pages at the end of the strip. */
  async addFiles(): Promise<void> {
    const requirement = this.requirement;
    if (!requirement) return;
    let paths: string[];
    try {
      paths = await this.#backend.pickPages({
        title: t("fix.pick-title", { name: i18n.text(requirement.name) }),
        accepted: t("dialog.accepted", { kinds: "PDF, JPEG, PNG" }),
        all: t("dialog.all"),
      });
    } catch (e) {
      this.stripError = toAppError(e);
      return;
    }
    for (const path of paths) await this.#addPath(path);
  }

  async #addPath(path: string): Promise<void> {
    const name = path.split(/[\\/]/).pop() ?? path;
    await this.#add({ from: "file", path }, name, () => this.#backend.fixSourceContent(path));
  }

  /** Reads a source and adds a tile per page (one for an image). */
  async #add(source: FixSource, name: string, read: () => Promise<ArrayBuffer>): Promise<void> {
    this.loading += 1;
    try {
      let thumbs: (string | null)[] = [null];
      try {
        thumbs = await thumbnails(await read());
      } catch (e) {
        // No picture: the tile still stands for the file; the core says what is wrong with it.
        if (e instanceof BackendError) this.stripError = e.problem;
      }
      const index = this.sources.length;
      this.sources = [...this.sources, { source, name, thumbs }];
      const added = thumbs.map((_, i) => ({ key: `tile-${++this.#tileCounter}`, source: index, page: i + 1, rotate: 0 }));
      this.tiles = [...this.tiles, ...added];
    } finally {
      this.loading -= 1;
    }
  }

  move(index: number, by: number): void {
    this.tiles = moveTile(this.tiles, index, by);
  }

  rotate(index: number): void {
    this.tiles = this.tiles.map((tile, i) => (i === index ? { ...tile, rotate: turned(tile.rotate) } : tile));
  }

  remove(index: number): void {
    this.tiles = this.tiles.filter((_, i) => i !== index);
  }

  /** Runs the fix; `password` only for an unlock the core asked one for. */
  async run(password: string | null): Promise<void> {
    const requirement = this.requirement;
    const dossierId = this.#dossierId;
    const kind = this.kind;
    if (!requirement || !dossierId || !kind) return;
    const job = newJobId("fix");
    this.#job = job;
    const before = this.phase;
    this.phase = { name: "running", step: null, cancelling: false };
    const onStep = (step: FixStep) => {
      if (this.#job === job && this.phase?.name === "running") this.phase = { ...this.phase, step };
    };
    try {
      let proposal: FixProposal;
      if (kind === "combine") {
        const request = combineRequest(
          this.sources.map((s) => s.source),
          this.tiles,
        );
        proposal = await this.#backend.proposeCombine(job, dossierId, requirement.id, request.sources, request.pages, onStep);
      } else if (kind === "shrink") {
        proposal = await this.#backend.proposeShrink(job, dossierId, requirement.id, onStep);
      } else if (kind === "crop") {
        proposal = await this.#backend.proposeCropPhoto(job, dossierId, requirement.id, onStep);
      } else {
        proposal = await this.#backend.proposeUnlock(job, dossierId, requirement.id, password, onStep);
      }
      if (this.#job !== job) return;
      this.phase = { name: "result", proposal };
    } catch (e) {
      if (this.#job !== job) return;
      const error = toAppError(e);
      const code = error.kind === "core" ? error.error.code : null;
      if (code === "cancelled") {
        // Nothing was made: back to the strip, or out for a one-step fix.
        if (kind === "combine" && before?.name === "strip") this.phase = before;
        else this.close();
      } else if (kind === "unlock" && (code === "fix-needs-password" || code === "fix-wrong-password")) {
        this.phase = { name: "password", error: code === "fix-wrong-password" ? error : null };
      } else if (kind === "combine") {
        this.stripError = error;
        this.phase = { name: "strip" };
      } else {
        this.phase = { name: "failed", error };
      }
    } finally {
      if (this.#job === job) this.#job = null;
    }
  }

  cancel(): void {
    const job = this.#job;
    // Asked once: closing after a Cancel does not ask again.
    if (!job || this.phase?.name !== "running" || this.phase.cancelling) return;
    this.phase = { ...this.phase, cancelling: true };
    void this.#backend.cancelJob(job).catch(() => undefined);
  }

  /** Makes the result the requirement's document; Undo brings the old one back. */
  async accept(): Promise<void> {
    const phase = this.phase;
    const requirement = this.requirement;
    const dossierId = this.#dossierId;
    if (phase?.name !== "result" || !requirement || !dossierId || this.accepting) return;
    const proposal = phase.proposal;
    this.accepting = true;
    try {
      await this.#parts.changes.run(dossierId, requirement.id, "attaching", () =>
        this.#backend.acceptFix(dossierId, requirement.id, proposal.sha256),
      );
      const now = this.#parts.nav.report?.stages.flatMap((s) => s.requirements).find((r) => r.id === requirement.id);
      // Refused (`run` shows why): the result stays on screen to discard.
      if (now?.document?.sha256 !== proposal.sha256) return;
      const replaced = proposal.replaces;
      // Accepted: nothing left to discard on the way out.
      this.phase = null;
      this.close();
      if (replaced) {
        this.#undoRemoval.offer(
          {
            dossierId,
            requirementId: requirement.id,
            name: i18n.text(requirement.name),
            sha256: replaced.sha256,
            originalName: replaced.originalName,
          },
          "replaced",
        );
      }
    } finally {
      this.accepting = false;
    }
  }

  /** Deletes the result; the document stays as it was. */
  discard(): void {
    this.close();
  }

  /** Closes the dialog; a running job is stopped, a shown result discarded. */
  close(): void {
    if (this.phase?.name === "running") this.cancel();
    const phase = this.phase;
    if (phase?.name === "result" && this.requirement && this.#dossierId) {
      // A result that cannot be deleted now is unreferenced: the next start's sweep deletes it.
      void this.#backend.discardFix(this.#dossierId, this.requirement.id, phase.proposal.sha256).catch(() => undefined);
    }
    for (const source of this.sources) for (const url of source.thumbs) if (url?.startsWith("blob:")) URL.revokeObjectURL(url);
    this.phase = null;
    this.kind = null;
    this.requirement = null;
    this.sources = [];
    this.tiles = [];
    this.stripError = null;
    this.#job = null;
  }
}

/** The content's kind from its first bytes: the core sniffs the same way. */
export function sniff(bytes: ArrayBuffer): "pdf" | "jpeg" | "png" | null {
  const head = new Uint8Array(bytes.slice(0, 8));
  if (head[0] === 0x25 && head[1] === 0x50 && head[2] === 0x44 && head[3] === 0x46) return "pdf";
  if (head[0] === 0xff && head[1] === 0xd8) return "jpeg";
  if (head[0] === 0x89 && head[1] === 0x50 && head[2] === 0x4e && head[3] === 0x47) return "png";
  return null;
}

/** A picture per page: the image itself, or each PDF page drawn by pdf.js (the first MOST_THUMBNAILS). */
async function thumbnails(bytes: ArrayBuffer): Promise<(string | null)[]> {
  const kind = sniff(bytes);
  if (kind === "jpeg" || kind === "png") {
    return [URL.createObjectURL(new Blob([bytes], { type: kind === "png" ? "image/png" : "image/jpeg" }))];
  }
  if (kind !== "pdf") return [null];
  const pdf = await openPdf(bytes).catch(() => null);
  if (!pdf) return [null];
  try {
    const thumbs: (string | null)[] = [];
    for (let number = 1; number <= pdf.doc.numPages; number++) {
      if (number > MOST_THUMBNAILS) {
        thumbs.push(null);
        continue;
      }
      const page = await pdf.doc.getPage(number);
      const viewport = page.getViewport({ scale: (THUMB_WIDTH * 2) / page.getViewport({ scale: 1 }).width });
      const canvas = document.createElement("canvas");
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      await page.render({ canvas, viewport }).promise;
      thumbs.push(canvas.toDataURL("image/png"));
    }
    return thumbs;
  } finally {
    pdf.close();
  }
}
