// CaseTracker against a fake Rust side: loading, a change and its reload,
// the refusal kept for its form, and the calendar export.
import { describe, expect, it } from "vitest";

import type { Backend } from "../backend";
import type { Deadlines } from "../bindings/Deadlines";
import type { Event as CaseEvent } from "../bindings/Event";
import type { Timeline } from "../bindings/Timeline";
import { deferred, fakeBackend } from "./fake-backend";
import { CaseTracker } from "./tracking.svelte";

const timeline = {
  stages: [{ id: "embassy", entries: [{ kind: "submitted", name: { en: "Documents submitted" } }] }],
  other: [],
  history: [],
} as unknown as Timeline;
const deadlines = (dated: boolean): Deadlines =>
  ({ dossierId: "d1", timeZone: "Asia/Almaty", today: "2026-03-05", deadlines: [{ date: dated ? "2026-04-01" : null }], programWindow: null }) as unknown as Deadlines;
const event = (kind: string, date: string) => ({ id: 1, kind, date, createdAt: "", updatedAt: "" }) as CaseEvent;

function tracker(answers: Partial<Backend>) {
  const side = fakeBackend({
    timeline: async () => timeline,
    deadlines: async () => deadlines(true),
    nextStep: async () => ({ kind: "wait" }) as never,
    ...answers,
  });
  return { ...side, tracker: new CaseTracker(() => "d1", side.backend) };
}

describe("CaseTracker", () => {
  it("loads the timeline, the deadlines and the next step of the dossier", async () => {
    const { tracker: t, calls } = tracker({});
    await t.load();
    expect(calls).toEqual([["timeline", "d1"], ["deadlines", "d1"], ["nextStep", "d1"]]);
    expect(t.timeline).toBe(timeline);
    expect(t.eventName("submitted")).toBe("Documents submitted");
    expect(t.eventName("unknown-kind")).toBe("unknown-kind");
  });

  it("drops the answer of a load that a reset overtook", async () => {
    const slow = deferred<Timeline>();
    const { tracker: t } = tracker({ timeline: () => slow.promise });
    const loading = t.load();
    t.reset();
    slow.resolve(timeline);
    await loading;
    expect(t.timeline).toBeNull();
  });

  it("records an event with its note trimmed (none when blank), reloads and says what was recorded", async () => {
    const { tracker: t, calls } = tracker({ recordEvent: async (_, kind, date) => event(kind, date) });
    await t.load();
    calls.length = 0;
    expect(await t.record("submitted", "2026-03-01", "   ")).toBe(true);
    expect(calls[0]).toEqual(["recordEvent", "d1", "submitted", "2026-03-01", null]);
    expect(calls.slice(1).map((c) => c[0])).toEqual(["timeline", "deadlines", "nextStep"]);
    expect(t.status).toBe("Recorded: Documents submitted, 1 Mar 2026.");
    expect(t.activity).toBeNull();
  });

  it("keeps a refusal for the form that made it, and changes nothing else", async () => {
    const { tracker: t, names } = tracker({
      correctEvent: async () => Promise.reject({ code: "event-out-of-order" }),
    });
    expect(await t.correct(1, { date: "2026-01-01" })).toBe(false);
    expect(t.error).toEqual({ source: "correct", error: { kind: "core", error: { code: "event-out-of-order" } } });
    expect(names()).toEqual(["correctEvent"]);
    expect(t.activity).toBeNull();
  });

  it("writes no calendar before any deadline has a day, without asking where", async () => {
    const { tracker: t, names } = tracker({ deadlines: async () => deadlines(false) });
    await t.load();
    await t.exportCalendar("deadlines.ics");
    expect(t.nothingToExport).toBe(true);
    expect(names()).not.toContain("pickSavePath");
  });

  it("saves the calendar where chosen, and takes the core's 'nothing to export' quietly", async () => {
    const { tracker: t, calls } = tracker({
      pickSavePath: async () => "/c/deadlines.ics",
      exportDeadlines: async () => deadlines(true),
    });
    await t.load();
    await t.exportCalendar("deadlines.ics");
    expect(calls.at(-1)).toEqual(["exportDeadlines", "d1", "/c/deadlines.ics", "en"]);
    expect(t.exportedTo).toBe("/c/deadlines.ics");

    const quiet = tracker({
      pickSavePath: async () => "/c/deadlines.ics",
      exportDeadlines: async () => Promise.reject({ code: "nothing-to-export" }),
    });
    await quiet.tracker.load();
    await quiet.tracker.exportCalendar("deadlines.ics");
    expect(quiet.tracker.nothingToExport).toBe(true);
    expect(quiet.tracker.error).toBeNull();
  });
});
