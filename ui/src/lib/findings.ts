// What inspection, the entered dates and the content say about a document,
// in words: the core's `finding.<code>` message and its `hint.<code>` fix,
// with dates, lists and file kinds formatted for the current language.

import type { Finding } from "./bindings/Finding";
import type { RequirementReport } from "./bindings/RequirementReport";
import type { Text } from "./bindings/Text";
import { countryName } from "./countries";
import { i18n, t } from "./i18n/i18n.svelte";
import { kindLabel } from "./messages";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function param(name: string, value: unknown): string {
  // Language codes (ISO 639-1) as names, the translation's as "a or b".
  if (name === "language" && typeof value === "string") return i18n.languageName(value);
  if (name === "into" && Array.isArray(value)) return i18n.list(value.map(String).map(i18n.languageName), "disjunction");
  if (Array.isArray(value)) return i18n.list(value.map((v) => param(name, v)));
  if (name === "country" && typeof value === "string") return countryName(value);
  // A translated text from data (a treaty's name, what its sources say).
  if (value !== null && typeof value === "object" && "en" in value) return i18n.text(value as Text);
  if (typeof value === "string" && DAY.test(value)) return i18n.date(value);
  // Sizes in bytes, as file managers write them.
  if ((name === "size" || name === "maxSize") && typeof value === "number") return i18n.size(value);
  if (name === "kind" && typeof value === "string") return kindLabel(value as Parameters<typeof kindLabel>[0]);
  return String(value);
}

/** The finding's message and the hint that says what to do, translated. */
export function findingMessage(finding: Finding): { text: string; hint: string | null } {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(finding)) {
    if (name !== "code" && name !== "severity") params[name] = param(name, value);
  }
  const key = `finding.${finding.code}`;
  // A newer core may know a finding the bundled catalogues do not.
  const text = i18n.has(key) ? t(key, params) : finding.code;
  const hintKey = `hint.${finding.code}`;
  // The date-needed hints list the dates found; the form offers them instead.
  const noSuggestions =
    (finding.code === "issue-date-needed" || finding.code === "expiry-date-needed") && finding.suggestions.length === 0;
  const hint = i18n.has(hintKey) && !noSuggestions ? t(hintKey, params) : null;
  return { text, hint };
}

/** Whether the requirement's validity depends on dates read off the document. */
export function needsDates(requirement: RequirementReport): { issued: boolean; expires: boolean } {
  return {
    issued: requirement.rules.some((r) => r.rule === "max-age"),
    expires: requirement.rules.some((r) => r.rule === "min-remaining-validity"),
  };
}

/** The content hashes of the report's documents that have no verdict yet. */
export function uninspected(requirements: readonly RequirementReport[]): string[] {
  const hashes = new Set<string>();
  for (const r of requirements) {
    if (r.document && r.findings.some((f) => f.code === "not-inspected")) hashes.add(r.document.sha256);
  }
  return [...hashes].sort();
}
