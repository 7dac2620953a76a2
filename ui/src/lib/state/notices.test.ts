// Notices: a hint goes away on its own, a new one restarts its time, and an
// identical announcement is said again.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { BackendError } from "../errors";
import { Notices } from "./notices.svelte";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("Notices", () => {
  it("hides a hint after six seconds, counted from the latest one", () => {
    const notices = new Notices();
    notices.showHint("drop-outside");
    vi.advanceTimersByTime(5000);
    notices.showHint("drop-first-only");
    vi.advanceTimersByTime(5000);
    expect(notices.hint).toBe("drop-first-only");
    vi.advanceTimersByTime(1000);
    expect(notices.hint).toBeNull();
  });

  it("clears the line before saying it, so the same message is said twice", async () => {
    const notices = new Notices();
    notices.announce("Saved.");
    await vi.runAllTimersAsync();
    expect(notices.announcement).toBe("Saved.");
    notices.announce("Saved.");
    expect(notices.announcement).toBe("");
    await vi.runAllTimersAsync();
    expect(notices.announcement).toBe("Saved.");
  });

  it("keeps the core's error as thrown by the backend", () => {
    const notices = new Notices();
    notices.fail(new BackendError({ kind: "core", error: { code: "wrong-passphrase" } as never }));
    expect(notices.error).toEqual({ kind: "core", error: { code: "wrong-passphrase" } });
    notices.clear();
    expect(notices.error).toBeNull();
  });
});
