import { afterEach, describe, expect, it } from "vitest";
import type { Finding } from "./bindings/Finding";
import type { RequirementReport } from "./bindings/RequirementReport";
import type { Rule } from "./bindings/Rule";
import { requirement as base } from "./fixtures";
import { findingMessage, needsDates, uninspected } from "./findings";
import { i18n } from "./i18n/i18n.svelte";

afterEach(() => {
  i18n.lang = "en";
});

const requirement = (fields: Partial<RequirementReport> = {}) =>
  base("police-clearance", { name: { en: "Police clearance" }, maxSize: 10 * 1024 * 1024, status: "ok", ...fields });

function attached(sha256: string): RequirementReport["document"] {
  return {
    requirementId: "police-clearance",
    sha256,
    size: 1000,
    kind: "pdf",
    originalName: "scan.pdf",
    attachedAt: "2026-01-01T10:00:00Z",
  };
}

const notInspected: Finding = { severity: "info", code: "not-inspected" };

describe("findingMessage", () => {
  it("fills the message and its hint with the finding's fields, days as dates", () => {
    const tooOld: Finding = { severity: "blocker", code: "too-old", issuedOn: "2025-03-14", ageDays: 200, limitDays: 90 };
    expect(findingMessage(tooOld)).toEqual({
      text: "This document was issued on 14 Mar 2025: it will be 200 days old when you apply, and at most 90 days are accepted.",
      hint: "Request a new certificate: this one is 200 days old, the limit is 90.",
    });
  });

  it("names file kinds and joins lists the way the language does", () => {
    expect(findingMessage({ severity: "blocker", code: "unreadable", kind: "pdf" }).text).toBe(
      "This file cannot be read as a PDF: it is damaged or cut short.",
    );
    const missing: Finding = { severity: "warning", code: "keywords-missing", keywords: ["software", "AI", "cloud"] };
    expect(findingMessage(missing).text).toBe(
      "The text mentions none of the program’s specialty keywords (software, AI and cloud).",
    );
  });

  it("lists the dates found as the hint to a date that is needed, and no hint when none were found", () => {
    const withDates: Finding = { severity: "warning", code: "issue-date-needed", suggestions: ["2025-03-14", "2025-04-01"] };
    expect(findingMessage(withDates).hint).toBe("Dates found in the document: 14 Mar 2025 and 1 Apr 2025.");
    expect(findingMessage({ severity: "warning", code: "issue-date-needed", suggestions: [] })).toEqual({
      text: "Enter the day of issue so Qujat can check the document’s age.",
      hint: null,
    });
    expect(findingMessage({ severity: "warning", code: "expiry-date-needed", suggestions: [] }).hint).toBeNull();
    expect(findingMessage({ severity: "warning", code: "expiry-date-needed", suggestions: ["2030-01-31"] }).hint).toBe(
      "Dates found in the document: 31 Jan 2030.",
    );
  });

  it("writes sizes as file managers do", () => {
    const over: Finding = { severity: "blocker", code: "over-size-limit", size: 13_002_342, maxSize: 10 * 1024 * 1024 };
    expect(findingMessage(over).text).toBe("The file is 12.4 MB; this requirement accepts at most 10 MB.");
    i18n.lang = "ru";
    expect(findingMessage({ ...over, size: 831_488, maxSize: 512_000 }).text).toMatch(/^Файл весит 812 КБ; .* 500 КБ\./);
  });

  it("says what to do even when the finding has no fields", () => {
    expect(findingMessage(notInspected)).toEqual({ text: "Not inspected yet.", hint: "Run the check again to inspect it." });
  });

  it("shows the code, and no hint, for a finding a newer core knows and the catalogues do not", () => {
    const unknown = { severity: "warning", code: "from-the-future" } as unknown as Finding;
    expect(findingMessage(unknown)).toEqual({ text: "from-the-future", hint: null });
  });

  it("every finding code has a message and a hint in every language", () => {
    const findings: Finding[] = [
      { severity: "blocker", code: "unreadable", kind: "jpeg" },
      { severity: "blocker", code: "inspection-timed-out", seconds: 30 },
      { severity: "blocker", code: "inspection-out-of-memory", limitMib: 512 },
      { severity: "blocker", code: "inspector-crashed" },
      { severity: "blocker", code: "vault-damaged" },
      { severity: "blocker", code: "password-protected" },
      { severity: "blocker", code: "over-size-limit", size: 13_002_342, maxSize: 10_485_760 },
      { severity: "blocker", code: "encrypted" },
      { severity: "blocker", code: "too-many-pages", pages: 40, limit: 30 },
      { severity: "warning", code: "image-too-small", width: 300, height: 200, minWidth: 1000, minHeight: 700 },
      { severity: "warning", code: "no-text-layer" },
      notInspected,
      { severity: "blocker", code: "expired", expiresOn: "2025-01-01" },
      { severity: "blocker", code: "too-old", issuedOn: "2025-01-01", ageDays: 100, limitDays: 90 },
      { severity: "blocker", code: "validity-too-short", expiresOn: "2026-01-01", neededUntil: "2026-06-01", days: 180 },
      { severity: "warning", code: "issue-date-needed", suggestions: [] },
      { severity: "warning", code: "expiry-date-needed", suggestions: [] },
      { severity: "warning", code: "keywords-missing", keywords: ["AI"] },
      { severity: "warning", code: "too-few-words", words: 10, min: 100 },
      { severity: "warning", code: "too-many-words", words: 1000, max: 100 },
      { severity: "warning", code: "name-not-found", name: "Aigerim" },
      { severity: "warning", code: "name-differs", name: "Aigerim Sadykova", found: "Aigerim Sadyk" },
      { severity: "warning", code: "needs-translation", language: "de", into: ["kk", "ru"] },
      { severity: "warning", code: "needs-notarized-translation", language: "de", into: ["kk", "ru"] },
      { severity: "warning", code: "mrz-name-differs", dossier: "Anna Erikson", mrz: "ERIKSSON ANNA", suggestion: "Anna Eriksson" },
      { severity: "info", code: "apostille-seen" },
      { severity: "info", code: "apostille-not-seen" },
    ];
    for (const lang of ["en", "ru", "kk"] as const) {
      i18n.lang = lang;
      for (const finding of findings) {
        const { text, hint } = findingMessage(finding);
        expect(text, `${lang} ${finding.code}`).not.toBe(finding.code);
        expect(text, `${lang} ${finding.code}`).not.toMatch(/\{\w+\}/);
        const dateNeeded = finding.code === "issue-date-needed" || finding.code === "expiry-date-needed";
        if (dateNeeded) expect(hint, `${lang} hint ${finding.code}`).toBeNull();
        else expect(hint, `${lang} hint ${finding.code}`).toMatch(/^[^{}]+$/);
      }
    }
  });

  it("writes dates in the UI language", () => {
    const expired: Finding = { severity: "blocker", code: "expired", expiresOn: "2025-03-14" };
    i18n.lang = "ru";
    // Russian drops the " г." after the year, so the sentence has one full stop.
    expect(findingMessage(expired).text).toBe("Срок действия документа истёк 14 мар. 2025.");
  });
});

describe("translation findings", () => {
  it("name the languages instead of showing their codes", () => {
    const finding: Finding = { severity: "warning", code: "needs-notarized-translation", language: "de", into: ["kk", "ru"] };
    i18n.lang = "en";
    expect(findingMessage(finding).text).toBe("Written in German: needs a notarized translation into Kazakh or Russian.");
  });
});

describe("needsDates", () => {
  const maxAge: Rule = { rule: "max-age", days: 90, at: "application", basis: "s" };
  const validity: Rule = { rule: "min-remaining-validity", days: 180, from: "entry", basis: "s" };
  const legalization: Rule = { rule: "legalization", basis: "s" };

  it("asks for the day of issue for an age limit, the expiry for a validity rule", () => {
    expect(needsDates(requirement({ rules: [maxAge] }))).toEqual({ issued: true, expires: false });
    expect(needsDates(requirement({ rules: [validity, legalization] }))).toEqual({ issued: false, expires: true });
    expect(needsDates(requirement({ rules: [legalization, validity, maxAge] }))).toEqual({ issued: true, expires: true });
    expect(needsDates(requirement({ rules: [legalization] }))).toEqual({ issued: false, expires: false });
    expect(needsDates(requirement())).toEqual({ issued: false, expires: false });
  });
});

describe("uninspected", () => {
  it("lists the attached files without a verdict once each, sorted", () => {
    const requirements = [
      requirement({ id: "a", document: attached("ffff"), findings: [notInspected] }),
      requirement({ id: "b", document: attached("aaaa"), findings: [{ severity: "warning", code: "no-text-layer" }] }),
      requirement({ id: "c", document: attached("bbbb"), findings: [notInspected] }),
      // The same file attached twice is inspected once.
      requirement({ id: "d", document: attached("ffff"), findings: [notInspected] }),
      // A finding without a document (not expected from the core) names no file.
      requirement({ id: "e", findings: [notInspected] }),
    ];
    expect(uninspected(requirements)).toEqual(["bbbb", "ffff"]);
    expect(uninspected([])).toEqual([]);
  });
});
