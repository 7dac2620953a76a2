// Words for deadlines: the countdown, the state, and the moment a
// Kazakhstan day ends on the user's own clock. Pure functions over the
// core's Deadline; the core has already counted the days.

import type { Deadline } from "./bindings/Deadline";
import type { DeadlineState } from "./bindings/DeadlineState";
import { i18n, t } from "./i18n/i18n.svelte";

/** Most urgent first: what has passed, what is close, what is possible, then the rest. */
const ORDER: Record<DeadlineState, number> = {
  overdue: 0,
  "due-soon": 1,
  reached: 2,
  upcoming: 3,
  pending: 4,
  done: 5,
};

/** The deadlines in the order to read them; pack order within a state. */
export function byUrgency(deadlines: readonly Deadline[]): Deadline[] {
  return deadlines
    .map((deadline, index) => ({ deadline, index }))
    .sort((a, b) => ORDER[a.deadline.state] - ORDER[b.deadline.state] || a.index - b.index)
    .map((x) => x.deadline);
}

/** The state's short label, e.g. "Due soon". */
export function stateLabel(state: DeadlineState): string {
  switch (state) {
    case "pending":
      return t("deadlines.state-pending");
    case "upcoming":
      return t("deadlines.state-upcoming");
    case "due-soon":
      return t("deadlines.state-due-soon");
    case "overdue":
      return t("deadlines.state-overdue");
    case "reached":
      return t("deadlines.state-reached");
    case "done":
      return t("deadlines.state-done");
  }
}

/**
 * The countdown in words: "12 days left", "Today", "3 days overdue", or what
 * the deadline waits for or was settled by. `eventName` names event kinds.
 */
export function countdown(deadline: Deadline, eventName: (kind: string) => string): string {
  const left = deadline.daysLeft;
  switch (deadline.state) {
    case "pending":
      return t("deadlines.waits-for", { event: eventName(deadline.from) });
    case "done":
      return t("deadlines.settled-by", { event: eventName(deadline.settledBy ?? "") });
    case "reached":
      return t("deadlines.possible-now");
    default:
      if (left === null) return "";
      if (left === 0) return t("deadlines.today");
      if (left < 0) return t("deadlines.overdue-by", { days: i18n.days(-left) });
      return deadline.kind === "earliest"
        ? t("deadlines.possible-in", { days: i18n.days(left) })
        : t("deadlines.left", { days: i18n.days(left) });
  }
}

/** Minutes east of UTC written at the end of an RFC 3339 instant ("+05:00", "Z"). */
function offsetOf(instant: string): number | null {
  if (/z$/i.test(instant)) return 0;
  const m = /([+-])(\d{2}):?(\d{2})$/.exec(instant);
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === "-" ? -minutes : minutes;
}

/**
 * When the deadline's day ends on the user's clock ("31 Mar 2025, 19:00"),
 * or null when the user's clock agrees with the program zone's then, so the
 * day alone says it all.
 */
export function endsOnYourClock(endsAt: string | null): string | null {
  if (!endsAt) return null;
  const zone = offsetOf(endsAt);
  const instant = new Date(endsAt);
  if (zone === null || Number.isNaN(instant.getTime())) return null;
  if (-instant.getTimezoneOffset() === zone) return null;
  return new Intl.DateTimeFormat(i18n.locale, {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  }).format(instant);
}
