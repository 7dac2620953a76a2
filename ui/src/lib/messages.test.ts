import { afterEach, describe, expect, it } from "vitest";
import type { AppError } from "./errors";
import type { Error as CoreError } from "./bindings/Error";
import type { Requirement } from "./bindings/Requirement";
import type { RulePack } from "./bindings/RulePack";
import { i18n } from "./i18n/i18n.svelte";
import { errorDetail, errorMessage, kindLabel, kindsList, packNamer, reasonMessage, ruleMessage } from "./messages";

afterEach(() => {
  i18n.lang = "en";
});

const core = (error: CoreError): AppError => ({ kind: "core", error });

function requirement(id: string, en: string, ru: string): Requirement {
  return {
    id,
    kind: "document",
    presence: "required",
    name: { en, ru },
    guidance: { en: "" },
    rules: [],
    sources: [],
    "name-must-appear": false,
    "allow-shared-file": false,
  };
}

const pack: RulePack = {
  format: 1,
  id: "tech-visa",
  version: "1.0.0",
  reviewed: "2026-01-01",
  "review-by": "2026-06-30",
  status: "open",
  name: { en: "Tech visa" },
  summary: { en: "" },
  defaults: { accepts: ["pdf"], "max-size-mib": 10, "limits-basis": "s" },
  sources: [],
  unknowns: [],
  requirements: [requirement("passport", "Passport copy", "Копия паспорта"), requirement("diploma", "Diploma", "Диплом")],
  stages: [
    { id: "hub", name: { en: "Astana Hub", ru: "Astana Hub (этап)" }, description: { en: "" }, requirements: [], sources: [] },
  ],
  events: [
    { id: "entry", name: { en: "Entry to Kazakhstan", ru: "Въезд в Казахстан" }, after: [], excludes: [] },
    { id: "visa", name: { en: "Visa issued" }, after: [], excludes: [] },
  ],
  deadlines: [],
};

describe("kindLabel and kindsList", () => {
  it("writes file kinds in capitals, the same in every language, except the unknown one", () => {
    expect(kindLabel("pdf")).toBe("PDF");
    expect(kindLabel("jpeg")).toBe("JPEG");
    expect(kindLabel("other")).toBe("unrecognised format");
    i18n.lang = "ru";
    expect(kindLabel("heic")).toBe("HEIC");
    expect(kindLabel("other")).not.toBe("unrecognised format");
  });

  it("offers the kinds as alternatives, joined as the language does", () => {
    expect(kindsList(["pdf", "jpeg", "png"])).toBe("PDF, JPEG or PNG");
    expect(kindsList(["pdf"])).toBe("PDF");
    i18n.lang = "ru";
    expect(kindsList(["pdf", "jpeg", "png"])).toBe("PDF, JPEG или PNG");
  });
});

describe("packNamer", () => {
  it("names events, requirements and stages by their ids, in the UI language", () => {
    const name = packNamer(pack);
    for (const field of ["kind", "requires", "neededBy", "other"]) expect(name(field, "entry")).toBe("Entry to Kazakhstan");
    expect(name("blockers", "diploma")).toBe("Diploma");
    expect(name("stage", "hub")).toBe("Astana Hub");
    i18n.lang = "ru";
    expect(name("kind", "entry")).toBe("Въезд в Казахстан");
    // Not translated: English.
    expect(name("kind", "visa")).toBe("Visa issued");
  });

  it("keeps ids it does not know, fields that are not ids, and everything without a pack", () => {
    const name = packNamer(pack);
    expect(name("kind", "nope")).toBeUndefined();
    expect(name("blockers", "entry")).toBeUndefined();
    expect(name("path", "entry")).toBeUndefined();
    expect(name("id", "passport")).toBeUndefined();
    expect(packNamer(undefined)("kind", "entry")).toBeUndefined();
  });
});

describe("errorMessage", () => {
  it("explains a failure of the bridge, its detail apart", () => {
    const bridge: AppError = { kind: "bridge", detail: "dialog failed" };
    expect(errorMessage(bridge)).toBe("Qujat could not complete this action. Please try again.");
    expect(errorDetail(bridge)).toBe("dialog failed");
  });

  it("explains a core error a newer core knows and the catalogues do not, its code as the detail", () => {
    const unknown = { kind: "core", error: { code: "from-the-future" } } as unknown as AppError;
    expect(errorMessage(unknown)).toBe("Qujat could not complete this action. Please try again.");
    expect(errorDetail(unknown)).toBe("from-the-future");
  });

  it("keeps a library's English words out of the translated message, as the detail", () => {
    const offline = core({
      code: "rules-update-offline",
      url: "https://example.org/rules",
      detail: "error sending request: dns error: failed to lookup address information",
    });
    i18n.lang = "ru";
    const text = errorMessage(offline);
    expect(text).toContain("Qujat не может связаться с https://example.org/rules");
    expect(text).not.toContain("dns error");
    expect(errorDetail(offline)).toContain("dns error");
    expect(errorDetail(core({ code: "cancelled" }))).toBeNull();
  });

  it("fills the error's fields: sizes readable, days as dates", () => {
    expect(errorMessage(core({ code: "fix-cannot-fit", limit: 10_485_760, smallest: 13_002_342, minDpi: 200 }))).toBe(
      "This file cannot be made 10 MB or smaller while staying legible: at 200 dpi, the lowest Qujat goes, it is still 12.4 MB. Split it into parts, or scan fewer or smaller pages.",
    );
    expect(errorMessage(core({ code: "fix-input-unsupported", input: 2, kind: "docx" }))).toMatch(/^File 2 is a DOCX file/);
    expect(errorMessage(core({ code: "file-too-large", path: "/tmp/scan.pdf", size: 12_582_912, limit: 10_485_760 }))).toBe(
      "The file /tmp/scan.pdf is 12 MB; this requirement accepts at most 10 MB. Compress it or scan at a lower resolution, then attach it again. Nothing was changed.",
    );
    expect(errorMessage(core({ code: "invalid-date", value: "2026-02-30x" }))).toContain("“2026-02-30x” is not a date");
  });

  it("names the ids through the namer, single and listed", () => {
    const outOfOrder = core({
      code: "event-out-of-order",
      kind: "visa",
      date: "2026-03-01",
      requires: "entry",
      requiresDate: "2026-03-14",
    });
    expect(errorMessage(outOfOrder, packNamer(pack))).toBe(
      "“Visa issued” on 1 Mar 2026 cannot come before “Entry to Kazakhstan” on 14 Mar 2026. Check both dates.",
    );
    // Without a namer, the ids stay.
    expect(errorMessage(outOfOrder)).toContain("“visa” on 1 Mar 2026");

    const incomplete = core({ code: "stage-incomplete", stage: "hub", blockers: ["passport", "diploma", "gone"] });
    expect(errorMessage(incomplete, packNamer(pack))).toMatch(
      /^Stage Astana Hub is not ready to submit: Passport copy, Diploma, gone\. /,
    );
  });

  it("keeps a list's ids when the namer does not know them", () => {
    const unknownKind = core({ code: "unknown-event-kind", id: "exit", known: ["entry", "visa"] });
    expect(errorMessage(unknownKind, packNamer(pack))).toBe(
      "This program has no event “exit”. The events are: entry, visa.",
    );
  });

  it("translates into the UI language", () => {
    i18n.lang = "ru";
    const incomplete = core({ code: "stage-incomplete", stage: "hub", blockers: ["passport"] });
    expect(errorMessage(incomplete, packNamer(pack))).toMatch(/^Этап Astana Hub \(этап\) ещё не готов к подаче: Копия паспорта\. /);
  });
});

describe("reasonMessage", () => {
  it("says what kind a file is and which kinds are accepted", () => {
    expect(reasonMessage({ code: "wrong-kind", found: "docx", accepted: ["pdf", "jpeg"] })).toBe(
      "This file is a DOCX; this requirement accepts PDF or JPEG. Export or scan it again in an accepted format.",
    );
  });

  it("does not call an unrecognised file by a kind", () => {
    expect(reasonMessage({ code: "wrong-kind", found: "other", accepted: ["pdf"] })).toBe(
      "Qujat does not recognise this file’s format; this requirement accepts PDF. Export or scan it again in an accepted format.",
    );
  });

  it("names the requirement a duplicate is also attached to", () => {
    expect(reasonMessage({ code: "duplicate-file", other: "diploma", otherName: { en: "Diploma", ru: "Диплом" } })).toBe(
      "The same file is also attached as “Diploma”. Each requirement needs its own document.",
    );
  });

  it("has a sentence for the reasons without fields", () => {
    expect(reasonMessage({ code: "missing" })).toBe("Not provided yet.");
    expect(reasonMessage({ code: "empty" })).toBe("The file is empty. Attach the document again.");
    expect(reasonMessage({ code: "file-missing-from-vault" })).toBe(
      "Qujat’s copy of this file is gone. Attach the document again.",
    );
  });
});

describe("ruleMessage", () => {
  it("says from when validity and age are counted, with the plural the days take", () => {
    expect(ruleMessage({ rule: "min-remaining-validity", days: 180, from: "entry", basis: "s" })).toEqual({
      text: "Must stay valid for at least 180 days after you enter Kazakhstan.",
    });
    expect(ruleMessage({ rule: "min-remaining-validity", days: 1, from: "application", basis: "s" }).text).toBe(
      "Must stay valid for at least 1 day after the day you apply.",
    );
    expect(ruleMessage({ rule: "max-age", days: 90, at: "application", basis: "s" }).text).toBe(
      "Must be issued no more than 90 days before the day you apply.",
    );
    expect(ruleMessage({ rule: "max-age", days: 30, at: "entry", basis: "s" }).text).toBe(
      "Must be issued no more than 30 days before you enter Kazakhstan.",
    );
  });

  it("names the languages of a translation as alternatives, in the UI language", () => {
    expect(ruleMessage({ rule: "translation", into: ["ru", "kk"], notarized: false, basis: "s" }).text).toBe(
      "Needs a translation into Russian or Kazakh.",
    );
    expect(ruleMessage({ rule: "translation", into: ["kk"], notarized: true, basis: "s" }).text).toBe(
      "Needs a notarized translation into Kazakh.",
    );
    i18n.lang = "ru";
    expect(ruleMessage({ rule: "translation", into: ["ru", "kk"], notarized: false, basis: "s" }).text).toBe(
      "Нужен перевод на русский или казахский язык.",
    );
  });

  it("adds who is exempt from legalization on a second line", () => {
    expect(ruleMessage({ rule: "legalization", basis: "s" })).toEqual({ text: "Needs an apostille or consular legalization." });
    expect(ruleMessage({ rule: "legalization", exempt: { en: "CIS citizens" }, basis: "s" })).toEqual({
      text: "Needs an apostille or consular legalization.",
      note: "Exempt: CIS citizens",
    });
  });

  it("shows a note in the UI language, English where the pack has no translation", () => {
    const note = { rule: "note", text: { en: "Bring the original.", ru: "Возьмите оригинал.", kk: " " }, basis: "s" } as const;
    expect(ruleMessage(note)).toEqual({ text: "Bring the original." });
    i18n.lang = "ru";
    expect(ruleMessage(note)).toEqual({ text: "Возьмите оригинал." });
    i18n.lang = "kk";
    expect(ruleMessage(note)).toEqual({ text: "Bring the original." });
  });
});
