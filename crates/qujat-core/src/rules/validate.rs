//! Reading a rule pack from TOML and refusing a bad one with a precise error.
//!
//! A pack is data that people edit by hand; the error must say which file,
//! which field and what is wrong, e.g.
//! `kz-ai-pilot.toml: stages[2].requirements[0]: no requirement "pasport-copy"`.

use std::collections::HashSet;

use super::{Requirement, RequirementKind, RulePack, FORMAT_VERSION};
use crate::i18n::Text;

/// A rule pack that cannot be used, located as precisely as possible.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {field}: {problem}")]
pub struct RulePackError {
    /// The pack's file name.
    pub file: String,
    /// The field path, e.g. `requirements[3].max-size-mib`; `(file)` for
    /// problems with the whole file.
    pub field: String,
    /// What is wrong, in English (pack authors' language).
    pub problem: String,
}

/// Parses and validates one pack. `file` names it in errors.
pub fn parse_pack(file: &str, text: &str) -> Result<RulePack, RulePackError> {
    let fail = |field: String, problem: String| RulePackError {
        file: file.to_owned(),
        field,
        problem,
    };

    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let field = match e.span() {
            Some(span) => format!("line {}", line_of(text, span.start)),
            None => "(file)".to_owned(),
        };
        fail(field, format!("not valid TOML: {}", e.message()))
    })?;

    // Check the format first: a pack from a newer Qujat should say so, not
    // fail on the first field this build does not know.
    match table.get("format").and_then(toml::Value::as_integer) {
        Some(f) if f == i64::from(FORMAT_VERSION) => {}
        Some(f) => {
            return Err(fail(
                "format".into(),
                format!("written for format {f}; this Qujat reads format {FORMAT_VERSION}"),
            ))
        }
        None => {
            return Err(fail(
                "format".into(),
                "missing: the pack must say its format version".into(),
            ))
        }
    }

    let pack: RulePack =
        serde_path_to_error::deserialize(toml::Value::Table(table)).map_err(|e| {
            let field = e.path().to_string();
            fail(
                if field == "." { "(file)".into() } else { field },
                e.into_inner().to_string(),
            )
        })?;
    check_semantics(&pack).map_err(|(field, problem)| fail(field, problem))?;
    Ok(pack)
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

type Problem = (String, String);

fn check_semantics(pack: &RulePack) -> Result<(), Problem> {
    let problem = |field: &str, what: String| (field.to_owned(), what);

    check_id("id", &pack.id)?;
    let version_ok = pack.version.split_once('.').is_some_and(|(y, n)| {
        y.len() == 4
            && y.chars().all(|c| c.is_ascii_digit())
            && !n.is_empty()
            && n.chars().all(|c| c.is_ascii_digit())
    });
    if !version_ok {
        return Err(problem(
            "version",
            format!("\"{}\" is not YYYY.N, e.g. 2025.1", pack.version),
        ));
    }
    check_text("name", &pack.name)?;
    check_text("summary", &pack.summary)?;

    let mut cited: HashSet<&str> = HashSet::new();
    for (i, s) in pack.sources.iter().enumerate() {
        check_id(&format!("sources[{i}].id"), &s.id)?;
        if !cited.insert(&s.id) {
            return Err(problem(
                &format!("sources[{i}].id"),
                format!("\"{}\" is used twice", s.id),
            ));
        }
    }
    for (i, u) in pack.unknowns.iter().enumerate() {
        check_id(&format!("unknowns[{i}].id"), &u.id)?;
        if !cited.insert(&u.id) {
            return Err(problem(
                &format!("unknowns[{i}].id"),
                format!("\"{}\" is used twice", u.id),
            ));
        }
        check_text(&format!("unknowns[{i}].question"), &u.question)?;
    }
    let check_basis = |field: String, id: &str| -> Result<(), Problem> {
        if cited.contains(id) {
            Ok(())
        } else {
            Err((
                field,
                format!("\"{id}\" is neither a source nor an unknown of this pack"),
            ))
        }
    };

    if pack.defaults.accepts.is_empty() {
        return Err(problem(
            "defaults.accepts",
            "must name at least one file kind".into(),
        ));
    }
    if pack.defaults.max_size_mib == 0 {
        return Err(problem(
            "defaults.max-size-mib",
            "must be at least 1".into(),
        ));
    }
    check_basis("defaults.limits-basis".into(), &pack.defaults.limits_basis)?;

    if let Some(w) = &pack.window {
        if let (Some(opens), Some(closes)) = (w.opens, w.closes) {
            if opens > closes {
                return Err(problem(
                    "window",
                    format!("opens {opens} after it closes {closes}"),
                ));
            }
        }
        check_text("window.note", &w.note)?;
        for (j, id) in w.sources.iter().enumerate() {
            check_basis(format!("window.sources[{j}]"), id)?;
        }
    }

    let mut requirement_ids = HashSet::new();
    for (i, r) in pack.requirements.iter().enumerate() {
        let at = |f: &str| format!("requirements[{i}].{f}");
        check_id(&at("id"), &r.id)?;
        if !requirement_ids.insert(r.id.as_str()) {
            return Err(problem(&at("id"), format!("\"{}\" is used twice", r.id)));
        }
        check_requirement(r, &at)?;
        for (j, id) in r.sources.iter().enumerate() {
            check_basis(at(&format!("sources[{j}]")), id)?;
        }
        for (j, rule) in r.rules.iter().enumerate() {
            check_basis(at(&format!("rules[{j}].basis")), rule.basis())?;
        }
    }

    let mut stage_ids = HashSet::new();
    let mut staged = HashSet::new();
    if pack.stages.is_empty() {
        return Err(problem(
            "stages",
            "a program needs at least one stage".into(),
        ));
    }
    for (i, s) in pack.stages.iter().enumerate() {
        let at = |f: &str| format!("stages[{i}].{f}");
        check_id(&at("id"), &s.id)?;
        if !stage_ids.insert(s.id.as_str()) {
            return Err(problem(&at("id"), format!("\"{}\" is used twice", s.id)));
        }
        check_text(&at("name"), &s.name)?;
        check_text(&at("description"), &s.description)?;
        let mut in_stage = HashSet::new();
        for (j, id) in s.requirements.iter().enumerate() {
            if !requirement_ids.contains(id.as_str()) {
                return Err(problem(
                    &at(&format!("requirements[{j}]")),
                    format!("no requirement \"{id}\""),
                ));
            }
            if !in_stage.insert(id.as_str()) {
                return Err(problem(
                    &at(&format!("requirements[{j}]")),
                    format!("\"{id}\" is listed twice"),
                ));
            }
            staged.insert(id.as_str());
        }
        for (j, id) in s.sources.iter().enumerate() {
            check_basis(at(&format!("sources[{j}]")), id)?;
        }
    }
    if let Some((i, r)) = pack
        .requirements
        .iter()
        .enumerate()
        .find(|(_, r)| !staged.contains(r.id.as_str()))
    {
        return Err(problem(
            &format!("requirements[{i}].id"),
            format!("\"{}\" is in no stage", r.id),
        ));
    }
    Ok(())
}

fn check_requirement(r: &Requirement, at: &dyn Fn(&str) -> String) -> Result<(), Problem> {
    check_text(&at("name"), &r.name)?;
    check_text(&at("guidance"), &r.guidance)?;
    if let Some(why) = &r.optional_because {
        check_text(&at("optional-because"), why)?;
    }
    if r.kind == RequirementKind::Step {
        if r.accepts.is_some() || r.max_size_mib.is_some() {
            return Err((
                at("kind"),
                "a step takes no file: remove accepts and max-size-mib".into(),
            ));
        }
    } else {
        if r.accepts.as_ref().is_some_and(Vec::is_empty) {
            return Err((at("accepts"), "must name at least one file kind".into()));
        }
        if r.max_size_mib == Some(0) {
            return Err((at("max-size-mib"), "must be at least 1".into()));
        }
    }
    Ok(())
}

fn check_id(field: &str, id: &str) -> Result<(), Problem> {
    let ok = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err((
            field.to_owned(),
            format!("\"{id}\" is not a lowercase-kebab id"),
        ))
    }
}

fn check_text(field: &str, text: &Text) -> Result<(), Problem> {
    if text.en.trim().is_empty() {
        return Err((
            format!("{field}.en"),
            "the English text must not be empty".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
format = 1
id = "test-pack"
version = "2025.1"
reviewed = 2025-11-01
name = { en = "Test" }
summary = { en = "A pack for tests." }

[defaults]
accepts = ["pdf"]
max-size-mib = 10
limits-basis = "upload-limits"

[[sources]]
id = "order"
title = "An order"
reference = "https://example.invalid/order"
standing = "official"

[[unknowns]]
id = "upload-limits"
question = { en = "What are the upload limits?" }

[[requirements]]
id = "passport-copy"
kind = "document"
presence = "required"
name = { en = "Passport copy" }
guidance = { en = "All pages." }
sources = ["order"]
rules = [{ rule = "min-remaining-validity", days = 180, from = "application", basis = "order" }]

[[stages]]
id = "hub"
name = { en = "Hub" }
description = { en = "Upload." }
requirements = ["passport-copy"]
sources = ["order"]
"#;

    fn err(text: &str) -> RulePackError {
        parse_pack("t.toml", text).expect_err("the pack should be refused")
    }

    #[test]
    fn a_minimal_pack_loads() {
        let pack = parse_pack("t.toml", MINIMAL).expect("valid pack");
        assert_eq!(pack.requirements[0].rules[0].basis(), "order");
        assert_eq!(pack.max_size_bytes(&pack.requirements[0]), 10 * 1024 * 1024);
    }

    #[test]
    fn a_wrong_field_type_names_the_field() {
        let e = err(&MINIMAL.replace("max-size-mib = 10", "max-size-mib = \"ten\""));
        assert_eq!(e.file, "t.toml");
        assert_eq!(
            e.field, "defaults.max-size-mib",
            "the path must point at the bad value: {e}"
        );
    }

    #[test]
    fn an_unknown_stage_requirement_is_refused() {
        let e = err(&MINIMAL.replace(
            "requirements = [\"passport-copy\"]",
            "requirements = [\"pasport-copy\"]",
        ));
        assert_eq!(e.field, "stages[0].requirements[0]");
        assert!(e.problem.contains("pasport-copy"), "{e}");
    }

    #[test]
    fn a_basis_must_be_a_source_or_an_unknown() {
        let e = err(&MINIMAL.replace("basis = \"order\"", "basis = \"rumour\""));
        assert_eq!(e.field, "requirements[0].rules[0].basis");
    }

    #[test]
    fn a_newer_format_is_refused_by_name() {
        let e = err(&MINIMAL.replace("format = 1", "format = 2"));
        assert_eq!(e.field, "format");
        assert!(e.problem.contains("format 2"), "{e}");
    }

    #[test]
    fn syntax_errors_give_a_line() {
        let e = err("format = 1\nid = \n");
        assert!(e.field.starts_with("line "), "{e}");
    }

    #[test]
    fn unknown_fields_are_refused_not_ignored() {
        let e = err(&MINIMAL.replace(
            "presence = \"required\"",
            "presence = \"required\"\nexpires-days = 3",
        ));
        assert!(e.problem.contains("expires-days"), "{e}");
    }

    #[test]
    fn a_requirement_outside_every_stage_is_refused() {
        let extra = "\n[[requirements]]\nid = \"cv\"\nkind = \"document\"\npresence = \"required\"\nname = { en = \"CV\" }\nguidance = { en = \"x\" }\nsources = []\n";
        let text = MINIMAL.replacen("[[stages]]", &format!("{extra}\n[[stages]]"), 1);
        let e = err(&text);
        assert!(e.problem.contains("in no stage"), "{e}");
    }
}
