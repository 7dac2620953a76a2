import { afterEach, describe, expect, it } from "vitest";
import type { Deadline } from "./bindings/Deadline";
import type { DeadlineState } from "./bindings/DeadlineState";
import { byUrgency, countdown, endsOnYourClock, stateLabel } from "./deadlines";
import { i18n } from "./i18n/i18n.svelte";

afterEach(() => {
  i18n.lang = "en";
});

function deadline(fields: Partial<Deadline> = {}): Deadline {
  return {
    id: "d",
    name: { en: "A deadline" },
    kind: "due",
    from: "entry",
    fromDate: "2026-01-10",
    date: "2026-02-10",
    endsAt: "2026-02-10T23:59:59+05:00",
    state: "upcoming",
    daysLeft: 12,
    reminders: [],
    settledBy: null,
    basis: { type: "unknown", id: "u", question: { en: "?" } },
    reminderText: null,
    note: null,
    ...fields,
  };
}

const names: Record<string, string> = { entry: "Entry to Kazakhstan", visa: "Visa issued" };
const eventName = (kind: string) => names[kind] ?? `?${kind}`;

describe("byUrgency", () => {
  it("puts overdue first, then due soon, possible now, upcoming, not started, done", () => {
    const states: DeadlineState[] = ["done", "pending", "upcoming", "reached", "due-soon", "overdue"];
    const sorted = byUrgency(states.map((state) => deadline({ id: state, state })));
    expect(sorted.map((d) => d.state)).toEqual(["overdue", "due-soon", "reached", "upcoming", "pending", "done"]);
  });

  it("keeps the pack's order within a state, and leaves its input alone", () => {
    const input = [
      deadline({ id: "a", state: "upcoming" }),
      deadline({ id: "b", state: "overdue" }),
      deadline({ id: "c", state: "upcoming" }),
      deadline({ id: "d", state: "overdue" }),
    ];
    expect(byUrgency(input).map((d) => d.id)).toEqual(["b", "d", "a", "c"]);
    expect(input.map((d) => d.id)).toEqual(["a", "b", "c", "d"]);
    expect(byUrgency([])).toEqual([]);
  });
});

describe("stateLabel", () => {
  it("names every state, differently", () => {
    const states: DeadlineState[] = ["pending", "upcoming", "due-soon", "overdue", "reached", "done"];
    const labels = states.map(stateLabel);
    expect(labels).toEqual(["Not started", "Upcoming", "Due soon", "Overdue", "Possible now", "Done"]);
  });

  it("follows the UI language", () => {
    i18n.lang = "ru";
    expect(stateLabel("overdue")).not.toBe("Overdue");
    expect(stateLabel("overdue")).toMatch(/[а-я]/i);
  });
});

describe("countdown", () => {
  it("counts the days left, with the plural the number takes", () => {
    expect(countdown(deadline({ daysLeft: 12 }), eventName)).toBe("12 days left");
    expect(countdown(deadline({ state: "due-soon", daysLeft: 1 }), eventName)).toBe("1 day left");
  });

  it("says today on the day, and how late after it", () => {
    expect(countdown(deadline({ state: "due-soon", daysLeft: 0 }), eventName)).toBe("Today");
    expect(countdown(deadline({ state: "overdue", daysLeft: -3 }), eventName)).toBe("3 days overdue");
    expect(countdown(deadline({ state: "overdue", daysLeft: -1 }), eventName)).toBe("1 day overdue");
  });

  it("counts to the first possible day for an earliest day", () => {
    expect(countdown(deadline({ kind: "earliest", daysLeft: 5 }), eventName)).toBe("In 5 days");
    expect(countdown(deadline({ kind: "earliest", state: "reached", daysLeft: 0 }), eventName)).toBe("From today");
  });

  it("names the event a deadline waits for, and the one that settled it", () => {
    expect(countdown(deadline({ state: "pending", from: "entry", daysLeft: null }), eventName)).toBe(
      "Starts when “Entry to Kazakhstan” is recorded",
    );
    expect(countdown(deadline({ state: "done", settledBy: "visa" }), eventName)).toBe("Settled: Visa issued");
  });

  it("says nothing when there is no day to count to", () => {
    expect(countdown(deadline({ state: "upcoming", daysLeft: null }), eventName)).toBe("");
  });

  it("uses the UI language's plural forms", () => {
    i18n.lang = "ru";
    expect(countdown(deadline({ daysLeft: 1 }), eventName)).toBe("Осталось: 1 день");
    expect(countdown(deadline({ daysLeft: 3 }), eventName)).toBe("Осталось: 3 дня");
    expect(countdown(deadline({ daysLeft: 5 }), eventName)).toBe("Осталось: 5 дней");
    expect(countdown(deadline({ daysLeft: 21 }), eventName)).toBe("Осталось: 21 день");
    expect(countdown(deadline({ state: "overdue", daysLeft: -11 }), eventName)).toBe("Просрочено на 11 дней");
    i18n.lang = "kk";
    expect(countdown(deadline({ daysLeft: 5 }), eventName)).toBe("5 күн қалды");
  });
});

describe("endsOnYourClock (the tests run in New York time)", () => {
  it("is null without an instant, or with one it cannot read", () => {
    expect(endsOnYourClock(null)).toBeNull();
    expect(endsOnYourClock("")).toBeNull();
    expect(endsOnYourClock("soon")).toBeNull();
    expect(endsOnYourClock("2026-02-10")).toBeNull();
    expect(endsOnYourClock("2026-02-10T23:59:59")).toBeNull();
  });

  it("shows when a Kazakhstan day ends on the user's clock", () => {
    // 23:59 at UTC+5 is 18:59 UTC, 13:59 in New York in winter (UTC-5).
    expect(endsOnYourClock("2026-02-10T23:59:59+05:00")).toBe("10 Feb 2026, 13:59");
    // The day ends the day before for someone far enough west.
    expect(endsOnYourClock("2026-02-10T00:00:00+05:00")).toBe("9 Feb 2026, 14:00");
  });

  it("is null when the user's clock agrees with the program's zone at that instant", () => {
    expect(endsOnYourClock("2026-02-10T23:59:59-05:00")).toBeNull();
    expect(endsOnYourClock("2026-02-10T23:59:59-0500")).toBeNull();
    // In summer New York is at UTC-4, so a UTC-5 day end needs the hour.
    expect(endsOnYourClock("2026-07-10T23:59:59-05:00")).toBe("11 Jul 2026, 00:59");
    expect(endsOnYourClock("2026-07-10T23:59:59-04:00")).toBeNull();
  });

  it("reads Z as UTC", () => {
    expect(endsOnYourClock("2026-02-10T23:59:59Z")).toBe("10 Feb 2026, 18:59");
  });

  it("writes the time in the UI language", () => {
    i18n.lang = "ru";
    expect(endsOnYourClock("2026-02-10T23:59:59+05:00")).toMatch(/^10 февр\. 2026 г\., 13:59$/);
  });
});
