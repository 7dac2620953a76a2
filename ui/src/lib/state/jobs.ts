// Ids for long jobs (packing, verifying), so Cancel reaches the right one.

let counter = 0;

/** A new id, unique in this window: `pack-1-lx3f…`. */
export function newJobId(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${Date.now().toString(36)}`;
}
