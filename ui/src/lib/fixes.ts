// Which fix a finding offers, and the page strip of "Make one PDF": pure
// functions, so the rules are tested without a window. Adding a fix kind
// (the photo crop, say) is one entry in FIX_FOR_FINDING and one case where
// the fix is started (state/fixing.svelte.ts).

import type { Finding } from "./bindings/Finding";
import type { FixSource } from "./bindings/FixSource";
import type { PagePick } from "./bindings/PagePick";
import type { Reason } from "./bindings/Reason";

/** The fixes Qujat runs itself. */
export type FixKind = "shrink" | "unlock" | "combine" | "crop";

/** The fix each finding offers, right where it is said. */
export const FIX_FOR_FINDING: Partial<Record<Finding["code"], FixKind>> = {
  "over-size-limit": "shrink",
  encrypted: "unlock",
  "password-protected": "unlock",
  // A photo off the specification in shape, framing or head size: cut it to
  // 35 × 45 around the face. Not for a background (cropping never retouches)
  // or too few pixels (it never enlarges).
  "photo-shape": "crop",
  "photo-head-size": "crop",
};

/** The fix each reason a requirement is not met offers. */
export const FIX_FOR_REASON: Partial<Record<Reason["code"], FixKind>> = {
  // A photo where only PDF is accepted: make it (and any other pages) one PDF.
  "wrong-kind": "combine",
};

/**
 * Whether several files may be made one PDF for a requirement: only where
 * a PDF is accepted (a photo requirement takes a JPEG or PNG, one file).
 */
export function canCombine(requirement: { accepts: readonly string[] }): boolean {
  return requirement.accepts.includes("pdf");
}

export function fixForFinding(finding: Finding): FixKind | undefined {
  return FIX_FOR_FINDING[finding.code];
}

export function fixForReason(reason: Reason): FixKind | undefined {
  if (reason.code === "wrong-kind" && !reason.accepted.includes("pdf")) return undefined;
  return FIX_FOR_REASON[reason.code];
}

/** One page in the strip: which source, which of its pages, how far turned. */
export interface Tile {
  /** Unique in the strip, for keyed lists and focus. */
  key: string;
  /** Index into the strip's sources. */
  source: number;
  /** The page of that source, from 1 (an image has one). */
  page: number;
  /** Degrees clockwise: 0, 90, 180 or 270. */
  rotate: number;
}

/** `tiles` with the tile at `index` moved by `by` places (clamped). */
export function moveTile(tiles: readonly Tile[], index: number, by: number): Tile[] {
  const to = Math.max(0, Math.min(tiles.length - 1, index + by));
  const moved = [...tiles];
  const [tile] = moved.splice(index, 1);
  if (tile) moved.splice(to, 0, tile);
  return moved;
}

/** The next quarter turn clockwise. */
export function turned(rotate: number): number {
  return (rotate + 90) % 360;
}

/**
 * What the core combines: the sources the tiles still use (renumbered, in
 * their first use's order) and the pages in the strip's order.
 */
export function combineRequest(sources: readonly FixSource[], tiles: readonly Tile[]): { sources: FixSource[]; pages: PagePick[] } {
  const used: number[] = [];
  for (const tile of tiles) if (!used.includes(tile.source)) used.push(tile.source);
  return {
    sources: used.map((i) => sources[i]).filter((s): s is FixSource => s !== undefined),
    pages: tiles.map((tile) => ({ input: used.indexOf(tile.source), page: tile.page, rotate: tile.rotate })),
  };
}
