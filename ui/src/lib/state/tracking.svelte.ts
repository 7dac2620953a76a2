// The open dossier's case tracking: its timeline of events (with the history
// of changes) and the deadlines counted from them. The dossier view creates
// one CaseTracker and keeps it loaded; the timeline and "what's next" panels
// read it and change events through its methods. The core checks every
// change (order of events, dates not in the future) and explains a refusal;
// the refusal is kept here, next to the form that caused it.

import type { Backend } from "../backend";
import { BackendError, toAppError, type AppError } from "../errors";
import type { Deadlines } from "../bindings/Deadlines";
import type { NextStep } from "../bindings/NextStep";
import type { Timeline } from "../bindings/Timeline";
import { i18n, t } from "../i18n/i18n.svelte";
import { todayIso } from "../report";

/** What the tracker is doing; one change at a time. */
export type TrackerActivity =
  | { name: "recording" }
  | { name: "correcting"; eventId: number }
  | { name: "removing"; eventId: number }
  | { name: "exporting" };

/** What a CaseTracker asks of the Rust side. */
export type TrackerBackend = Pick<
  Backend,
  "timeline" | "deadlines" | "nextStep" | "recordEvent" | "correctEvent" | "removeEvent" | "pickSavePath" | "exportDeadlines"
>;

export class CaseTracker {
  timeline = $state.raw<Timeline | null>(null);
  deadlines = $state.raw<Deadlines | null>(null);
  /** What to do next in the case, as the core sees the whole of it. */
  next = $state.raw<NextStep | null>(null);
  activity = $state.raw<TrackerActivity | null>(null);
  /** The last refused change, shown by the form that made it. */
  error = $state.raw<{ source: "load" | "record" | "correct" | "remove" | "export"; error: AppError } | null>(null);
  /** Said by the panels' live regions after a change. */
  status = $state("");
  /** Where the calendar was last saved. */
  exportedTo = $state<string | null>(null);
  /** The last export found no dated deadline: nothing was written. */
  nothingToExport = $state(false);

  /**
   * The latest day an event may have: the user's today, or Kazakhstan's when
   * it is already tomorrow there.
   */
  readonly latestDay = $derived.by(() => {
    const local = todayIso();
    const zone = this.deadlines?.today;
    return zone !== undefined && zone > local ? zone : local;
  });

  readonly #dossierId: () => string;
  /** Raised by each load; an answer to an older load is dropped. */
  #generation = 0;

  readonly #backend: TrackerBackend;

  constructor(dossierId: () => string, backend: TrackerBackend) {
    this.#dossierId = dossierId;
    this.#backend = backend;
  }

  /** Loads (or reloads) the timeline and the deadlines. */
  async load(): Promise<void> {
    const dossierId = this.#dossierId();
    const generation = ++this.#generation;
    try {
      const [timeline, deadlines, next] = await Promise.all([
        this.#backend.timeline(dossierId),
        this.#backend.deadlines(dossierId),
        this.#backend.nextStep(dossierId),
      ]);
      if (generation !== this.#generation) return;
      this.timeline = timeline;
      this.deadlines = deadlines;
      this.next = next;
    } catch (e) {
      if (generation === this.#generation) this.error = { source: "load", error: toAppError(e) };
    }
  }

  /** Reloads the next step alone: the requirements changed (a file attached, a step confirmed). */
  async loadNext(): Promise<void> {
    const dossierId = this.#dossierId();
    const generation = this.#generation;
    try {
      const next = await this.#backend.nextStep(dossierId);
      if (generation === this.#generation) this.next = next;
    } catch (e) {
      if (generation === this.#generation) this.error = { source: "load", error: toAppError(e) };
    }
  }

  /** Forgets what was shown, e.g. when another dossier opens. */
  reset(): void {
    this.#generation += 1;
    this.timeline = null;
    this.deadlines = null;
    this.next = null;
    this.activity = null;
    this.error = null;
    this.status = "";
    this.exportedTo = null;
    this.nothingToExport = false;
  }

  /** Reloads quietly (countdowns move on; the CLI may have changed events). */
  async refresh(): Promise<void> {
    if (this.activity === null) await this.load();
  }

  /** Records an event; true when it was recorded. */
  async record(kind: string, date: string, note: string): Promise<boolean> {
    return this.change({ name: "recording" }, "record", async (dossierId) => {
      const event = await this.#backend.recordEvent(dossierId, kind, date, note.trim() === "" ? null : note.trim());
      return t("events.announce-recorded", { name: this.eventName(event.kind), date: i18n.date(event.date) });
    });
  }

  /** Corrects an event's kind, day or note; an empty note removes it. */
  async correct(eventId: number, change: { kind?: string; date?: string; note?: string }): Promise<boolean> {
    return this.change({ name: "correcting", eventId }, "correct", async (dossierId) => {
      const event = await this.#backend.correctEvent(dossierId, eventId, change);
      return t("events.announce-corrected", { name: this.eventName(event.kind), date: i18n.date(event.date) });
    });
  }

  async remove(eventId: number): Promise<boolean> {
    return this.change({ name: "removing", eventId }, "remove", async (dossierId) => {
      const event = await this.#backend.removeEvent(dossierId, eventId);
      return t("events.announce-removed", { name: this.eventName(event.kind), date: i18n.date(event.date) });
    });
  }

  /** Asks where to save the calendar file, then writes it. */
  async exportCalendar(defaultName: string): Promise<void> {
    if (this.activity !== null) return;
    this.error = null;
    this.exportedTo = null;
    // Deadlines are counted from recorded events: before the first one there
    // is no day to put in a calendar, and an empty file would only puzzle.
    this.nothingToExport = !this.deadlines?.deadlines.some((d) => d.date !== null);
    if (this.nothingToExport) {
      this.status = t("deadlines.nothing-to-export");
      return;
    }
    this.activity = { name: "exporting" };
    try {
      const path = await this.#backend.pickSavePath({
        title: t("deadlines.export-title"),
        defaultName,
        filter: { name: t("deadlines.ics-filter"), extensions: ["ics"] },
      });
      if (path !== null) {
        this.deadlines = await this.#backend.exportDeadlines(this.#dossierId(), path, i18n.lang);
        this.exportedTo = path;
        this.status = t("deadlines.exported", { path });
      }
    } catch (e) {
      // The core refuses an empty calendar too (the deadlines may have
      // changed since they were shown): the same quiet note, not an error.
      if (e instanceof BackendError && e.problem.kind === "core" && e.problem.error.code === "nothing-to-export") {
        this.nothingToExport = true;
        this.status = t("deadlines.nothing-to-export");
      } else {
        this.error = { source: "export", error: toAppError(e) };
      }
    } finally {
      this.activity = null;
    }
  }

  dismissError(): void {
    this.error = null;
  }

  /** An event kind's name in the current language, or its id if the program does not know it. */
  eventName(kind: string): string {
    for (const stage of this.timeline?.stages ?? []) {
      const entry = stage.entries.find((e) => e.kind === kind);
      if (entry) return i18n.text(entry.name);
    }
    const other = this.timeline?.other.find((e) => e.kind === kind);
    return other ? i18n.text(other.name) : kind;
  }

  private async change(
    activity: TrackerActivity,
    source: "record" | "correct" | "remove",
    run: (dossierId: string) => Promise<string>,
  ): Promise<boolean> {
    if (this.activity !== null) return false;
    this.activity = activity;
    this.error = null;
    try {
      const said = await run(this.#dossierId());
      this.activity = null;
      await this.load();
      this.status = said;
      return true;
    } catch (e) {
      this.error = { source, error: toAppError(e) };
      return false;
    } finally {
      this.activity = null;
    }
  }
}
