// Turns the core's typed values (errors, reasons, rules, file kinds) into
// sentences in the current language. The templates live in the catalogues;
// this module only formats their parameters.

import type { AppError } from "./errors";
import type { FileKind } from "./bindings/FileKind";
import type { Reason } from "./bindings/Reason";
import type { Rule } from "./bindings/Rule";
import type { RulePack } from "./bindings/RulePack";
import { i18n, t } from "./i18n/i18n.svelte";

/** Short label of a file kind ("PDF", "JPEG"…), the same in every language. */
export function kindLabel(kind: FileKind): string {
  return kind === "other" ? t("filekind.other") : kind.toUpperCase();
}

/** The accepted kinds as a list: "PDF, JPEG or PNG". */
export function kindsList(kinds: readonly FileKind[]): string {
  return i18n.list(kinds.map(kindLabel), "disjunction");
}

/**
 * Names the ids an error carries (`field` is the error's field name), or
 * returns undefined to keep the id.
 */
export type IdNamer = (field: string, id: string) => string | undefined;

/**
 * Names the ids of a program's errors: event kinds (an impossible sequence
 * of events names both events), requirements (the blockers of a stage) and
 * stages, each in the current language.
 */
export function packNamer(pack: RulePack | undefined): IdNamer {
  return (field, id) => {
    if (!pack) return undefined;
    switch (field) {
      case "kind":
      case "requires":
      case "neededBy":
      case "other": {
        const kind = pack.events.find((e) => e.id === id);
        return kind ? i18n.text(kind.name) : undefined;
      }
      case "blockers": {
        const requirement = pack.requirements.find((r) => r.id === id);
        return requirement ? i18n.text(requirement.name) : undefined;
      }
      case "stage": {
        const stage = pack.stages.find((s) => s.id === id);
        return stage ? i18n.text(stage.name) : undefined;
      }
      default:
        return undefined;
    }
  };
}

/** A core error or a bridge failure, translated; `names` turns ids into names where it can. */
export function errorMessage(problem: AppError, names?: IdNamer): string {
  if (problem.kind === "bridge") return t("banner.bridge", { detail: problem.detail });
  const key = `error.${problem.error.code}`;
  // A newer core may know an error the catalogues bundled here do not.
  if (!i18n.has(key)) return t("banner.bridge", { detail: problem.error.code });
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(problem.error)) {
    if (name === "code") continue;
    // A weak passphrase's reason is a code with its own sentence in the catalogues.
    // A file's kind in a fix's errors (event kinds elsewhere are ids).
    if (name === "kind" && typeof value === "string" && problem.error.code.startsWith("fix-")) {
      params[name] = kindLabel(value as Parameters<typeof kindLabel>[0]);
      continue;
    }
    if (name === "reason" && i18n.has(`strength.reason.${String(value)}`)) {
      params[name] = t(`strength.reason.${String(value)}`);
      continue;
    }
    if (Array.isArray(value)) params[name] = value.map((v) => names?.(name, String(v)) ?? String(v)).join(", ");
    else if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) params[name] = i18n.date(value);
    // Byte counts cross the bridge as JSON numbers (the bindings may call them bigint).
    else if (
      (typeof value === "number" || typeof value === "bigint") &&
      (name === "size" || name === "limit" || name === "smallest" || name === "cap")
    )
      params[name] = i18n.size(Number(value));
    else params[name] = names?.(name, String(value)) ?? String(value);
  }
  return t(key, params);
}

/**
 * The technical detail of a problem (an operating system's or a library's
 * own words, usually English), shown under the message as an expandable
 * "details" line and never as the message itself; null when there is none.
 */
export function errorDetail(problem: AppError): string | null {
  if (problem.kind === "bridge") return problem.detail.trim() === "" ? null : problem.detail;
  if (!i18n.has(`error.${problem.error.code}`)) return problem.error.code;
  const detail = (problem.error as Record<string, unknown>)["detail"];
  return typeof detail === "string" && detail.trim() !== "" ? detail : null;
}

/** Why a requirement is not ok, translated. */
export function reasonMessage(reason: Reason): string {
  switch (reason.code) {
    case "wrong-kind":
      if (reason.found === "other") return t("problem.unrecognised", { accepted: kindsList(reason.accepted) });
      return t("reason.wrong-kind", { found: kindLabel(reason.found), accepted: kindsList(reason.accepted) });
    case "duplicate-file":
      return t("reason.duplicate-file", { otherName: i18n.text(reason.otherName) });
    default:
      return t(`reason.${reason.code}`);
  }
}

/** A validity or form rule in words, with an optional second line (who is exempt). */
export function ruleMessage(rule: Rule): { text: string; note?: string } {
  const note = rule.rule === "legalization" && rule.exempt ? t("rule.exempt", { exempt: i18n.text(rule.exempt) }) : undefined;
  return note === undefined ? { text: ruleText(rule) } : { text: ruleText(rule), note };
}

function ruleText(rule: Rule): string {
  switch (rule.rule) {
    case "min-remaining-validity":
      return rule.from === "entry"
        ? t("rule.validity-entry", { days: i18n.days(rule.days) })
        : t("rule.validity-application", { days: i18n.days(rule.days) });
    case "max-age":
      return rule.at === "entry"
        ? t("rule.max-age-entry", { days: i18n.days(rule.days) })
        : t("rule.max-age-application", { days: i18n.days(rule.days) });
    case "translation": {
      const languages = i18n.list(rule.into.map(i18n.languageName), "disjunction");
      return rule.notarized
        ? t("rule.translation-notarized", { languages })
        : t("rule.translation", { languages });
    }
    case "legalization":
      return t("rule.legalization");
    case "note":
      return i18n.text(rule.text);
  }
}
