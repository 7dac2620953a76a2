// Countries for the applicant's profile: the core's list (ISO 3166-1 codes
// named in English, Russian and Kazakh from Debian's iso-codes, see
// scripts/gen-countries.py), searched in every language at once so an
// applicant finds "Germany" by typing "Герм", "Germ" or "DE".

import list from "../../../crates/qujat-core/data/countries.json";
import type { Lang } from "./bindings/Lang";
import { i18n } from "./i18n/i18n.svelte";

export interface Country {
  code: string;
  en: string;
  ru: string;
  kk: string;
}

const COUNTRIES: readonly Country[] = list;
const BY_CODE = new Map(COUNTRIES.map((c) => [c.code, c]));

/** The country's name in `lang` (the current language by default); the code if unknown. */
export function countryName(code: string, lang: Lang = i18n.lang): string {
  const country = BY_CODE.get(code);
  return country ? country[lang] : code;
}

/** Whether `code` is an ISO 3166-1 alpha-2 code Qujat knows. */
export function isCountry(code: string): boolean {
  return BY_CODE.has(code);
}

/**
 * The countries matching `query` in any language or by code: the code
 * first, then names starting with it, then names containing it; each group in the order of `lang`.
 * An empty query lists every country.
 */
export function searchCountries(query: string, lang: Lang = i18n.lang, limit = 300): Country[] {
  const q = query.trim().toLocaleLowerCase();
  const collator = new Intl.Collator(lang);
  const byName = (a: Country, b: Country) => collator.compare(a[lang], b[lang]);
  if (q === "") return [...COUNTRIES].sort(byName).slice(0, limit);
  const names = (c: Country) => [c.en, c.ru, c.kk].map((n) => n.toLocaleLowerCase());
  // A typed code ("de") is the surest match, so it comes first.
  const exact = COUNTRIES.filter((c) => c.code.toLowerCase() === q);
  const starts: Country[] = [];
  const contains: Country[] = [];
  for (const c of COUNTRIES) {
    if (exact.includes(c)) continue;
    if (names(c).some((n) => n.startsWith(q))) starts.push(c);
    else if (names(c).some((n) => n.includes(q))) contains.push(c);
  }
  return [...exact, ...starts.sort(byName), ...contains.sort(byName)].slice(0, limit);
}
