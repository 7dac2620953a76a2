// Translation for the UI: the current language as a rune, `t` over the UI
// catalogues (this folder) and the core's catalogues (errors, reasons,
// statuses; shared with the CLI), `text` for rule-pack texts, and locale-aware
// dates, sizes and lists. Components read `i18n.lang` through these helpers,
// so switching the language re-renders every string at once.

import coreEn from "../../../../crates/qujat-core/locales/en.json";
import coreKk from "../../../../crates/qujat-core/locales/kk.json";
import coreRu from "../../../../crates/qujat-core/locales/ru.json";
import type { Lang } from "../bindings/Lang";
import type { Text } from "../bindings/Text";
import uiEn from "./en.json";
import uiKk from "./kk.json";
import uiRu from "./ru.json";

type Catalogue = Readonly<Record<string, string>>;

const CATALOGUES: Record<Lang, Catalogue> = {
  en: { ...coreEn, ...uiEn },
  ru: { ...coreRu, ...uiRu },
  kk: { ...coreKk, ...uiKk },
};

/** The languages offered, each named in itself (the same in every UI language). */
export const LANGUAGES: readonly { code: Lang; short: string; name: string }[] = [
  { code: "en", short: "EN", name: "English" },
  { code: "ru", short: "RU", name: "Русский" },
  { code: "kk", short: "ҚАЗ", name: "Қазақша" },
];

const LOCALES: Record<Lang, string> = { en: "en-GB", ru: "ru-RU", kk: "kk-KZ" };

export type Params = Readonly<Record<string, string | number>>;

function isLang(value: string): value is Lang {
  return value === "en" || value === "ru" || value === "kk";
}

/** The language to start in: the saved choice, else the system's if Qujat speaks it, else English. */
export function initialLanguage(saved: Lang | null | undefined, system: readonly string[]): Lang {
  if (saved) return saved;
  for (const tag of system) {
    const base = tag.toLowerCase().split(/[-_]/)[0] ?? "";
    if (base === "ru" || base === "kk") return base;
  }
  return "en";
}

/** Parses YYYY-MM-DD as a local calendar day, anything else as an instant. */
function parseDate(value: string): Date | null {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = day ? new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3])) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

class I18n {
  /** The current UI language. */
  lang = $state<Lang>("en");

  /** The BCP 47 locale for Intl formatting. */
  readonly locale: string = $derived(LOCALES[this.lang]);

  /** Sets the language for this session (no saving); used at start-up. */
  use(lang: Lang): void {
    this.lang = lang;
    document.documentElement.lang = lang;
  }

  /**
   * A language chosen while the data folder is still locked, where nothing
   * can be saved yet: shown at once, saved by the app once the folder opens.
   */
  picked: Lang | null = null;

  /** Switches the language now and leaves saving it for when the data folder opens. */
  chooseBeforeOpen(lang: string): void {
    if (!isLang(lang)) return;
    this.use(lang);
    this.picked = lang;
  }

  /** Switches the language and remembers the choice with `save`. */
  async choose(lang: string, save: (lang: Lang) => Promise<void>): Promise<void> {
    if (!isLang(lang) || lang === this.lang) return;
    this.use(lang);
    await save(lang);
  }

  /** The message for `key` with `{name}` placeholders filled; English, then the key, as fallbacks. */
  t = (key: string, params?: Params): string => {
    const template = CATALOGUES[this.lang][key] ?? CATALOGUES.en[key] ?? key;
    if (!params) return template;
    return template.replace(/\{(\w+)\}(\.?)/g, (whole, name: string, stop: string) => {
      const value = params[name];
      if (value === undefined) return whole;
      const filled = String(value);
      // A value that already ends a sentence (Kazakh dates end in "ж.",
      // abbreviations in ".") takes the template's full stop itself.
      return stop && filled.endsWith(".") ? filled : filled + stop;
    });
  };

  /** Whether a catalogue defines `key`. */
  has = (key: string): boolean => key in CATALOGUES.en;

  /** A rule-pack text in the current language, English where it is not translated. */
  text = (value: Text | null | undefined): string => {
    if (!value) return "";
    const translated = this.lang === "ru" ? value.ru : this.lang === "kk" ? value.kk : undefined;
    return translated && translated.trim() !== "" ? translated : value.en;
  };

  /** A day (YYYY-MM-DD) or instant (RFC 3339) as a readable date, e.g. "31 Dec 2025". */
  date = (value: string): string => {
    const date = parseDate(value);
    if (!date) return value;
    const parts = new Intl.DateTimeFormat(this.locale, { day: "numeric", month: "short", year: "numeric" })
      .formatToParts(date);
    // Russian ends the date with " г."; inside a sentence that doubles the full stop.
    const year = parts.findIndex((p) => p.type === "year");
    const kept = this.lang === "ru" && year >= 0 ? parts.slice(0, year + 1) : parts;
    return kept.map((p) => p.value).join("");
  };

  /** A number in the locale's digits and separators. */
  number = (value: number, fractionDigits = 0): string =>
    new Intl.NumberFormat(this.locale, { maximumFractionDigits: fractionDigits }).format(value);

  /** A file size the way file managers show it (base 1024): "812 KB", "9.6 MB". */
  size = (bytes: number): string => {
    const kib = 1024;
    if (bytes < kib) return this.t("size.bytes", { n: this.number(bytes) });
    if (bytes < kib * kib) return this.t("size.kb", { n: this.number(Math.round(bytes / kib)) });
    return this.t("size.mb", { n: this.number(bytes / (kib * kib), 1) });
  };

  /** "PDF, JPEG or PNG" / "PDF, JPEG и PNG", as the locale joins lists. */
  list = (items: readonly string[], type: "conjunction" | "disjunction" = "conjunction"): string => {
    if (typeof Intl.ListFormat !== "function") return items.join(", ");
    return new Intl.ListFormat(this.locale, { style: "long", type }).format(items);
  };

  /** "180 days" / "180 дней" / "180 күн", with the locale's plural forms. */
  days = (n: number): string => {
    const count = this.number(n);
    switch (new Intl.PluralRules(this.locale).select(n)) {
      case "one":
        return this.t("days.one", { n: count });
      case "few":
        return this.t("days.few", { n: count });
      case "many":
        return this.t("days.many", { n: count });
      default:
        return this.t("days.other", { n: count });
    }
  };

  /** A language's name in the current language, from its ISO 639-1 code ("Kazakh", "казахский"). */
  languageName = (code: string): string => {
    try {
      const name = new Intl.DisplayNames([this.locale], { type: "language" }).of(code) ?? code;
      // Russian and Kazakh write language names in lower case mid-sentence.
      return this.lang === "en" ? name : name.toLocaleLowerCase(this.locale);
    } catch {
      return code;
    }
  };
}

/** The one translator of the app. */
export const i18n = new I18n();

/** Shorthands; they read `i18n.lang`, so templates using them follow a language switch. */
export const t = i18n.t;
export const text = i18n.text;
