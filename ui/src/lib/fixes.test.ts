import { describe, expect, it } from "vitest";
import type { FixSource } from "./bindings/FixSource";
import { canCombine, combineRequest, fixForFinding, fixForReason, moveTile, turned, type Tile } from "./fixes";

const tile = (key: string, source: number, page = 1, rotate = 0): Tile => ({ key, source, page, rotate });

describe("the fix a finding offers", () => {
  it("makes one PDF only where a PDF is accepted", () => {
    expect(canCombine({ accepts: ["pdf"] })).toBe(true);
    expect(canCombine({ accepts: ["pdf", "jpeg"] })).toBe(true);
    expect(canCombine({ accepts: ["jpeg", "png"] })).toBe(false);
  });

  it("offers Make it smaller on a file over the limit, and unlocking on an encrypted PDF", () => {
    expect(fixForFinding({ severity: "blocker", code: "over-size-limit", size: 20, maxSize: 10 })).toBe("shrink");
    expect(fixForFinding({ severity: "warning", code: "encrypted" })).toBe("unlock");
    expect(fixForFinding({ severity: "blocker", code: "password-protected" })).toBe("unlock");
    expect(fixForFinding({ severity: "warning", code: "no-text-layer" })).toBeUndefined();
  });

  it("offers the crop for a photo's shape or framing, never for what cropping cannot mend", () => {
    const crop = (finding: object) => fixForFinding(finding as Parameters<typeof fixForFinding>[0]);
    expect(crop({ severity: "warning", code: "photo-shape", width: 1600, height: 1200 })).toBe("crop");
    expect(crop({ severity: "warning", code: "photo-head-size", percent: 40, min: 71, max: 80 })).toBe("crop");
    // A crop never retouches a background nor invents pixels.
    expect(crop({ severity: "warning", code: "photo-background" })).toBeUndefined();
    expect(crop({ severity: "warning", code: "photo-too-few-pixels" })).toBeUndefined();
    expect(crop({ severity: "warning", code: "photo-no-face" })).toBeUndefined();
  });

  it("offers Make one PDF on a photo only where a PDF is accepted", () => {
    expect(fixForReason({ code: "wrong-kind", found: "jpeg", accepted: ["pdf"] })).toBe("combine");
    expect(fixForReason({ code: "wrong-kind", found: "docx", accepted: ["jpeg"] })).toBeUndefined();
    expect(fixForReason({ code: "missing" })).toBeUndefined();
  });
});

describe("the page strip", () => {
  it("moves a page, never past either end", () => {
    const tiles = [tile("a", 0), tile("b", 1), tile("c", 2)];
    expect(moveTile(tiles, 2, -1).map((t) => t.key)).toEqual(["a", "c", "b"]);
    expect(moveTile(tiles, 0, -1).map((t) => t.key)).toEqual(["a", "b", "c"]);
    expect(moveTile(tiles, 2, 1).map((t) => t.key)).toEqual(["a", "b", "c"]);
  });

  it("turns a quarter at a time, back to upright", () => {
    expect([0, 90, 180, 270].map(turned)).toEqual([90, 180, 270, 0]);
  });

  it("sends only the files still used, numbered in the strip's order", () => {
    const sources: FixSource[] = [
      { from: "file", path: "/a.jpg" },
      { from: "file", path: "/b.jpg" },
      { from: "file", path: "/c.pdf" },
    ];
    // b removed, c's second page first and turned.
    const request = combineRequest(sources, [tile("c2", 2, 2, 90), tile("a", 0), tile("c1", 2, 1)]);
    expect(request.sources).toEqual([sources[2], sources[0]]);
    expect(request.pages).toEqual([
      { input: 0, page: 2, rotate: 90 },
      { input: 1, page: 1, rotate: 0 },
      { input: 0, page: 1, rotate: 0 },
    ]);
  });
});
