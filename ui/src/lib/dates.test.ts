import { describe, expect, it } from "vitest";
import {
  addDays,
  dateFormat,
  dayInWords,
  formatDay,
  isoDay,
  ISO_FORMAT,
  readDate,
  type DateFormat,
  type DateReading,
} from "./dates";

// The locales the UI formats with (i18n.svelte.ts: LOCALES).
const EN = "en-GB";
const RU = "ru-RU";
const KK = "kk-KZ";

const day = (iso: string): DateReading => ({ kind: "day", iso });
const refused = (code: "unreadable" | "no-such-day"): DateReading => ({ kind: "problem", problem: { code } });

describe("dateFormat", () => {
  it("is day.month.year in Russian and Kazakh", () => {
    for (const locale of [RU, KK, "ru", "kk"]) {
      expect(dateFormat(locale)).toEqual({ order: ["day", "month", "year"], separator: "." });
    }
  });

  it("is year-month-day in every English, whose short dates disagree between countries", () => {
    for (const locale of [EN, "en-US", "en", "EN-gb"]) expect(dateFormat(locale)).toEqual(ISO_FORMAT);
  });

  it("follows the locale's own order elsewhere and falls back to ISO for a tag Intl refuses", () => {
    expect(dateFormat("de-DE")).toEqual({ order: ["day", "month", "year"], separator: "." });
    expect(dateFormat("ja-JP")).toEqual({ order: ["year", "month", "day"], separator: "/" });
    expect(dateFormat("not a locale!")).toEqual(ISO_FORMAT);
  });
});

describe("isoDay", () => {
  it("pads year, month and day", () => {
    expect(isoDay(2026, 3, 5)).toBe("2026-03-05");
    expect(isoDay(999, 12, 31)).toBe("0999-12-31");
  });

  it("knows the leap years: every 4th, not every 100th, every 400th", () => {
    expect(isoDay(2028, 2, 29)).toBe("2028-02-29");
    expect(isoDay(2000, 2, 29)).toBe("2000-02-29");
    expect(isoDay(2026, 2, 29)).toBeNull();
    expect(isoDay(1900, 2, 29)).toBeNull();
    expect(isoDay(2100, 2, 29)).toBeNull();
  });

  it("refuses days a month lacks and numbers out of range", () => {
    expect(isoDay(2026, 4, 30)).toBe("2026-04-30");
    expect(isoDay(2026, 4, 31)).toBeNull();
    expect(isoDay(2026, 1, 32)).toBeNull();
    expect(isoDay(2026, 13, 1)).toBeNull();
    expect(isoDay(2026, 0, 1)).toBeNull();
    expect(isoDay(2026, 1, 0)).toBeNull();
    expect(isoDay(0, 1, 1)).toBeNull();
    expect(isoDay(10000, 1, 1)).toBeNull();
    expect(isoDay(2026, 1.5, 1)).toBeNull();
    expect(isoDay(Number.NaN, 1, 1)).toBeNull();
  });
});

describe("formatDay", () => {
  it("writes a day in each UI language's format", () => {
    expect(formatDay("2026-11-09", dateFormat(RU))).toBe("09.11.2026");
    expect(formatDay("2026-11-09", dateFormat(KK))).toBe("09.11.2026");
    expect(formatDay("2026-11-09", dateFormat(EN))).toBe("2026-11-09");
    expect(formatDay("2026-11-09", { order: ["month", "day", "year"], separator: "/" })).toBe("11/09/2026");
  });

  it("leaves text that is not a day as it is", () => {
    for (const text of ["", "2026-02-30", "9.11.2026", "2026-1-9", "soon"]) {
      expect(formatDay(text, dateFormat(RU))).toBe(text);
    }
  });
});

describe("readDate in Russian and Kazakh: day first", () => {
  for (const locale of [RU, KK]) {
    const f = dateFormat(locale);

    describe(locale, () => {
      it("reads day, month, year with any of the separators, padded or not", () => {
        for (const text of ["09.11.2026", "9.11.2026", "9/11/2026", "9-11-2026", "9 11 2026", " 09 . 11 . 2026 "]) {
          expect(readDate(text, f), text).toEqual(day("2026-11-09"));
        }
      });

      it("reads the day before the month, even when both could be a month", () => {
        expect(readDate("03.04.2026", f)).toEqual(day("2026-04-03"));
        expect(readDate("04/03/2026", f)).toEqual(day("2026-03-04"));
      });

      it("allows the year's abbreviation after the date", () => {
        expect(readDate("9.11.2026 г.", f)).toEqual(day("2026-11-09"));
        expect(readDate("9.11.2026г", f)).toEqual(day("2026-11-09"));
        expect(readDate("9.11.2026 ж.", f)).toEqual(day("2026-11-09"));
      });

      it("always accepts ISO, year first", () => {
        expect(readDate("2026-11-09", f)).toEqual(day("2026-11-09"));
        expect(readDate("2026.11.9", f)).toEqual(day("2026-11-09"));
        expect(readDate("2026/04/03", f)).toEqual(day("2026-04-03"));
      });

      it("refuses the month first (13th month) and days a month lacks", () => {
        expect(readDate("11.13.2026", f)).toEqual(refused("unreadable"));
        expect(readDate("31.04.2026", f)).toEqual(refused("no-such-day"));
        expect(readDate("30.02.2028", f)).toEqual(refused("no-such-day"));
        expect(readDate("2026-02-31", f)).toEqual(refused("no-such-day"));
      });

      it("takes 29 February in a leap year only", () => {
        expect(readDate("29.02.2028", f)).toEqual(day("2028-02-29"));
        expect(readDate("29.02.2026", f)).toEqual(refused("no-such-day"));
        expect(readDate("2028-02-29", f)).toEqual(day("2028-02-29"));
        expect(readDate("2026-02-29", f)).toEqual(refused("no-such-day"));
      });
    });
  }
});

describe("readDate in English: year first, other orders only when unambiguous", () => {
  const f = dateFormat(EN);

  it("reads ISO, with any separator", () => {
    expect(readDate("2026-11-09", f)).toEqual(day("2026-11-09"));
    expect(readDate("2026/11/9", f)).toEqual(day("2026-11-09"));
    expect(readDate("2026 11 09", f)).toEqual(day("2026-11-09"));
  });

  it("refuses DD/MM against MM/DD when both are days, naming both (day first, then month first)", () => {
    expect(readDate("09/11/2026", f)).toEqual({
      kind: "problem",
      problem: { code: "ambiguous", first: "2026-11-09", second: "2026-09-11" },
    });
    expect(readDate("1.2.2026", f)).toEqual({
      kind: "problem",
      problem: { code: "ambiguous", first: "2026-02-01", second: "2026-01-02" },
    });
  });

  it("reads day and month in either order when one is above 12, or both are the same", () => {
    expect(readDate("13/11/2026", f)).toEqual(day("2026-11-13"));
    expect(readDate("11/13/2026", f)).toEqual(day("2026-11-13"));
    expect(readDate("31.12.2026", f)).toEqual(day("2026-12-31"));
    expect(readDate("05/05/2026", f)).toEqual(day("2026-05-05"));
  });

  it("takes 29 February in a leap year only, in every order", () => {
    expect(readDate("2028-02-29", f)).toEqual(day("2028-02-29"));
    expect(readDate("29/02/2028", f)).toEqual(day("2028-02-29"));
    expect(readDate("02/29/2028", f)).toEqual(day("2028-02-29"));
    expect(readDate("2026-02-29", f)).toEqual(refused("no-such-day"));
    expect(readDate("29/02/2026", f)).toEqual(refused("no-such-day"));
    expect(readDate("02/29/2026", f)).toEqual(refused("no-such-day"));
  });

  it("refuses impossible days and numbers neither order can read", () => {
    expect(readDate("31/04/2026", f)).toEqual(refused("no-such-day"));
    expect(readDate("2026-04-31", f)).toEqual(refused("no-such-day"));
    expect(readDate("13/13/2026", f)).toEqual(refused("unreadable"));
    expect(readDate("2026-13-01", f)).toEqual(refused("unreadable"));
    expect(readDate("2026-00-10", f)).toEqual(refused("unreadable"));
    expect(readDate("32/01/2026", f)).toEqual(refused("unreadable"));
  });
});

describe("readDate: what is not a date", () => {
  const formats: [string, DateFormat][] = [EN, RU, KK].map((l) => [l, dateFormat(l)]);

  it("reads empty or blank text as no date", () => {
    for (const [, f] of formats) {
      expect(readDate("", f)).toEqual({ kind: "empty" });
      expect(readDate("   ", f)).toEqual({ kind: "empty" });
    }
  });

  it("refuses words, two-digit years, missing parts, extra parts and years out of range", () => {
    const texts = [
      "г.",
      "tomorrow",
      "9 ноября 2026",
      "9.11.26",
      "9.11",
      "2026",
      "2026-11",
      "9.11.2026.1",
      "2026-11-09T10:00",
      "123.11.2026",
      "9.11.20260",
      "2026-11-009",
      "0999-01-01",
      "01.01.0999",
      "9,11,2026",
      "-9.11.2026",
    ];
    for (const [locale, f] of formats) {
      for (const text of texts) expect(readDate(text, f), `${locale}: ${text}`).toEqual(refused("unreadable"));
    }
  });
});

describe("readDate: bounds", () => {
  const bounds = { min: "2026-01-01", max: "2026-12-31" };

  it("keeps the bounds themselves and refuses days outside, naming the bound", () => {
    for (const locale of [EN, RU, KK]) {
      const f = dateFormat(locale);
      expect(readDate("2026-01-01", f, bounds)).toEqual(day("2026-01-01"));
      expect(readDate("2026-12-31", f, bounds)).toEqual(day("2026-12-31"));
      expect(readDate("2025-12-31", f, bounds)).toEqual({
        kind: "problem",
        problem: { code: "before-min", min: "2026-01-01" },
      });
      expect(readDate("2027-01-01", f, bounds)).toEqual({
        kind: "problem",
        problem: { code: "after-max", max: "2026-12-31" },
      });
    }
    expect(readDate("31.12.2025", dateFormat(RU), bounds)).toMatchObject({ problem: { code: "before-min" } });
    expect(readDate("01.01.2027", dateFormat(KK), bounds)).toMatchObject({ problem: { code: "after-max" } });
    expect(readDate("13/01/2027", dateFormat(EN), bounds)).toMatchObject({ problem: { code: "after-max" } });
  });

  it("says what is wrong with the text before what is wrong with the day", () => {
    expect(readDate("31.02.2030", dateFormat(RU), bounds)).toEqual(refused("no-such-day"));
    expect(readDate("09/11/2030", dateFormat(EN), bounds)).toMatchObject({ problem: { code: "ambiguous" } });
  });

  it("takes one bound alone", () => {
    const f = dateFormat(RU);
    expect(readDate("01.01.1900", f, { max: "2026-06-01" })).toEqual(day("1900-01-01"));
    expect(readDate("01.01.9999", f, { min: "2026-06-01" })).toEqual(day("9999-01-01"));
    expect(readDate("01.06.2026", f, { min: "2026-06-02" })).toMatchObject({ problem: { code: "before-min" } });
  });
});

describe("round trip: a stored day, shown in the field, reads back as the same day", () => {
  for (const locale of [EN, RU, KK, "en-US", "de-DE", "ja-JP"]) {
    it(locale, () => {
      const f = dateFormat(locale);
      // Every day of a leap year, and the calendar's edges.
      let iso: string | null = "2028-01-01";
      let days = 0;
      while (iso !== null && iso < "2029-01-01") {
        expect(readDate(formatDay(iso, f), f)).toEqual(day(iso));
        iso = addDays(iso, 1);
        days += 1;
      }
      expect(days).toBe(366);
      for (const edge of ["1000-01-01", "9999-12-31", "2000-02-29"]) {
        expect(readDate(formatDay(edge, f), f)).toEqual(day(edge));
      }
    });
  }
});

describe("addDays", () => {
  it("moves across months, years and leap days, both ways", () => {
    expect(addDays("2026-01-31", 1)).toBe("2026-02-01");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2026-02-28", 1)).toBe("2026-03-01");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2027-01-01", -1)).toBe("2026-12-31");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(addDays("2026-11-09", 0)).toBe("2026-11-09");
    expect(addDays("2026-01-01", 365)).toBe("2027-01-01");
  });

  it("does not move days across a daylight-saving change (local clocks are not used)", () => {
    // New York (the tests' zone) springs forward on 8 March 2026 and falls back on 1 November.
    expect(addDays("2026-03-08", 1)).toBe("2026-03-09");
    expect(addDays("2026-03-09", -1)).toBe("2026-03-08");
    expect(addDays("2026-11-01", 1)).toBe("2026-11-02");
  });

  it("counts years before 100 as themselves, not as 19xx", () => {
    expect(addDays("0099-12-31", 1)).toBe("0100-01-01");
    expect(addDays("0050-06-01", 0)).toBe("0050-06-01");
    expect(addDays("0001-01-02", -1)).toBe("0001-01-01");
  });

  it("is null for text that is not a day and past the calendar's end", () => {
    expect(addDays("2026-02-30", 1)).toBeNull();
    expect(addDays("", 1)).toBeNull();
    expect(addDays("9999-12-31", 1)).toBeNull();
    expect(addDays("0001-01-01", -1)).toBeNull();
  });
});

describe("dayInWords", () => {
  it("names the weekday and the month in the UI language", () => {
    expect(dayInWords("2026-11-09", EN)).toBe("Monday, 9\u00a0November\u00a02026");
    expect(dayInWords("2026-11-09", RU)).toBe("понедельник, 9\u00a0ноября\u00a02026\u00a0г.");
    expect(dayInWords("2026-11-09", KK)).toContain("қараша");
    expect(dayInWords("2026-11-09", KK)).toContain("дүйсенбі");
    expect(dayInWords("2028-02-29", EN)).toBe("Tuesday, 29\u00a0February\u00a02028");
  });

  it("keeps the date on one line, breaking only after the comma", () => {
    for (const locale of [EN, RU, KK]) {
      const words = dayInWords("2026-11-09", locale);
      expect(words.replace(/, /g, "")).not.toMatch(/ /);
    }
  });

  it("shows the local calendar day, not the day of UTC midnight", () => {
    expect(dayInWords("2026-01-01", EN)).toBe("Thursday, 1\u00a0January\u00a02026");
  });

  it("names years before 100 as themselves, not as 19xx", () => {
    expect(dayInWords("0050-06-01", EN)).toMatch(/\b50$/);
    expect(dayInWords("0050-06-01", EN)).not.toContain("1950");
  });

  it("leaves text that is not a day as it is", () => {
    expect(dayInWords("2026-02-30", EN)).toBe("2026-02-30");
    expect(dayInWords("", RU)).toBe("");
  });
});
