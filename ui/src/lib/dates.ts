// Dates typed by hand: the format a date field expects in a locale, reading
// what the user typed into an ISO day (YYYY-MM-DD, what the core stores), and
// saying a day in words so the user sees exactly which day will be saved.
// Pure functions over Intl; no state, no translation (the field translates
// the problems by their codes).

export type DatePart = "day" | "month" | "year";

/** How a date field writes a day: the parts' order and the separator between them. */
export interface DateFormat {
  readonly order: readonly [DatePart, DatePart, DatePart];
  readonly separator: string;
}

/** Year-month-day: read the same way everywhere, and always accepted. */
export const ISO_FORMAT: DateFormat = { order: ["year", "month", "day"], separator: "-" };

/** Why a typed date is refused; `first`, `second`, `min` and `max` are ISO days. */
export type DateProblem =
  | { readonly code: "unreadable" }
  | { readonly code: "no-such-day" }
  | { readonly code: "ambiguous"; readonly first: string; readonly second: string }
  | { readonly code: "before-min"; readonly min: string }
  | { readonly code: "after-max"; readonly max: string };

/** What a field's text says: a day, nothing (empty), or a problem. */
export type DateReading =
  | { readonly kind: "empty" }
  | { readonly kind: "day"; readonly iso: string }
  | { readonly kind: "problem"; readonly problem: DateProblem };

const SEPARATORS = [".", "/", "-"];

/**
 * The format a date field expects in `locale`, from the locale's own short
 * date: DD.MM.YYYY in Russian and Kazakh. English gets year-month-day: its
 * short dates put the day first in Britain and the month first in the US, so
 * 09/11/2026 means a different day to different English readers.
 */
export function dateFormat(locale: string): DateFormat {
  if (/^en\b/i.test(locale)) return ISO_FORMAT;
  try {
    const parts = new Intl.DateTimeFormat(locale, { day: "2-digit", month: "2-digit", year: "numeric" }).formatToParts(
      new Date(2026, 10, 9),
    );
    const order = parts
      .map((p) => p.type)
      .filter((type): type is DatePart => type === "day" || type === "month" || type === "year");
    const literal = parts.find((p) => p.type === "literal")?.value.trim() ?? "";
    const separator = SEPARATORS.find((s) => literal.startsWith(s)) ?? ".";
    const [a, b, c] = order;
    if (order.length !== 3 || a === undefined || b === undefined || c === undefined || new Set(order).size !== 3) {
      return ISO_FORMAT;
    }
    return { order: [a, b, c], separator };
  } catch {
    return ISO_FORMAT;
  }
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** The ISO day for a year, month (1–12) and day, or null when the calendar has no such day. */
export function isoDay(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return null;
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return null;
  const last = new Date(Date.UTC(2000, month, 0)).getUTCDate(); // days in the month in a leap year
  const daysInMonth = month === 2 && !isLeap(year) ? 28 : last;
  if (day > daysInMonth) return null;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Year, month and day of an ISO day, or null when it is not one. */
function splitIso(iso: string): { year: number; month: number; day: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isoDay(year, month, day) === null ? null : { year, month, day };
}

/** An ISO day written in `format`, e.g. "09.11.2026"; other text unchanged. */
export function formatDay(iso: string, format: DateFormat): string {
  const day = splitIso(iso);
  if (!day) return iso;
  const text: Record<DatePart, string> = { day: pad(day.day, 2), month: pad(day.month, 2), year: pad(day.year, 4) };
  return format.order.map((part) => text[part]).join(format.separator);
}

/** The ISO day `days` days after (or before) `iso`; null when `iso` is not a day. */
export function addDays(iso: string, days: number): string | null {
  const day = splitIso(iso);
  if (!day) return null;
  // setUTCFullYear, not Date.UTC: that reads years 0–99 as 1900–1999.
  const moved = new Date(0);
  moved.setUTCFullYear(day.year, day.month - 1, day.day + days);
  return isoDay(moved.getUTCFullYear(), moved.getUTCMonth() + 1, moved.getUTCDate());
}

/**
 * A day in words with its weekday, e.g. "Monday, 9 November 2026",
 * "понедельник, 9 ноября 2026 г.". Spaces within the date do not break, so
 * "г." or "ж." never starts a line alone; a line may break after the comma.
 */
export function dayInWords(iso: string, locale: string): string {
  const day = splitIso(iso);
  if (!day) return iso;
  // Local midnight of the day; not new Date(y, m, d), which reads years 0–99 as 1900–1999.
  const date = new Date(2000, 0, 1);
  date.setFullYear(day.year, day.month - 1, day.day);
  return new Intl.DateTimeFormat(locale, { weekday: "long", day: "numeric", month: "long", year: "numeric" })
    .format(date)
    .replace(/(?<!,) /g, "\u00a0");
}

/**
 * Reads a typed date. Accepted: year first (2026-11-09, also with `.`, `/`
 * or spaces), always; otherwise three numbers in the format's order, with
 * `.`, `/`, `-` or spaces between them (9.11.2026, 09/11/2026, 9 11 2026).
 * When the format is year first (English), day and month of other orders are
 * told apart only when one of them is above 12; 09/11/2026 is refused as
 * ambiguous, naming both days. A trailing "г." or "ж." (year) is allowed.
 * Then `min` and `max` (ISO days) bound the day.
 */
export function readDate(text: string, format: DateFormat, bounds: { min?: string; max?: string } = {}): DateReading {
  const trimmed = text.trim().replace(/\s*[гж]\.?$/iu, "");
  if (trimmed === "") return text.trim() === "" ? { kind: "empty" } : problem({ code: "unreadable" });
  const groups = /^(\d{1,4})[\s./-]+(\d{1,2})[\s./-]+(\d{1,4})$/u.exec(trimmed);
  if (!groups) return problem({ code: "unreadable" });
  const [a, b, c] = [groups[1] ?? "", groups[2] ?? "", groups[3] ?? ""];

  let iso: string | null;
  if (a.length === 4) {
    // Year first: always year, month, day.
    if (c.length > 2) return problem({ code: "unreadable" });
    iso = checked(Number(a), Number(b), Number(c));
    if (iso === "unreadable" || iso === "no-such-day") return problem({ code: iso });
  } else {
    if (c.length !== 4 || a.length > 2) return problem({ code: "unreadable" });
    const year = Number(c);
    const [x, y] = [Number(a), Number(b)];
    if (format.order[0] === "year") {
      // The user wrote day and month in an order the format does not say.
      const dayFirst = checked(year, y, x);
      const monthFirst = checked(year, x, y);
      const dayFirstOk = dayFirst !== "unreadable" && dayFirst !== "no-such-day";
      const monthFirstOk = monthFirst !== "unreadable" && monthFirst !== "no-such-day";
      if (dayFirstOk && monthFirstOk && dayFirst !== monthFirst) {
        return problem({ code: "ambiguous", first: dayFirst, second: monthFirst });
      }
      if (dayFirstOk) iso = dayFirst;
      else if (monthFirstOk) iso = monthFirst;
      else return problem({ code: dayFirst === "no-such-day" || monthFirst === "no-such-day" ? "no-such-day" : "unreadable" });
    } else {
      const dayFirst = format.order.indexOf("day") < format.order.indexOf("month");
      const found = dayFirst ? checked(year, y, x) : checked(year, x, y);
      if (found === "unreadable" || found === "no-such-day") return problem({ code: found });
      iso = found;
    }
  }
  if (bounds.min && iso < bounds.min) return problem({ code: "before-min", min: bounds.min });
  if (bounds.max && iso > bounds.max) return problem({ code: "after-max", max: bounds.max });
  return { kind: "day", iso };
}

/** The ISO day, or why not: numbers out of any calendar's range, or a day the month lacks (31.02). */
function checked(year: number, month: number, day: number): string | "unreadable" | "no-such-day" {
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > 31) return "unreadable";
  return isoDay(year, month, day) ?? "no-such-day";
}

function problem(p: DateProblem): DateReading {
  return { kind: "problem", problem: p };
}
