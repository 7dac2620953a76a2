//! Treaty data: which countries are party to the conventions that decide
//! whether a foreign document needs an apostille, a consular legalization or
//! nothing. Like the rule packs this is versioned data with sources
//! (`rules/treaties.toml`, format in `docs/rule-packs.md`), never a list in
//! code; a membership the sources do not settle is kept as `unsettled`, with
//! a note saying what each source says.

use std::collections::HashSet;
use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::validate::{check_declared_sources, check_id, check_text};
use super::{RulePackError, Source, FORMAT_VERSION};
use crate::countries::is_country;
use crate::i18n::Text;

/// The treaty data file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TreatyData {
    /// The format version, the same as the rule packs'.
    pub format: u32,
    /// The data's own version (`YYYY.N`).
    pub version: String,
    /// When it was last checked against its sources.
    pub reviewed: NaiveDate,
    /// Where the memberships come from.
    pub sources: Vec<Source>,
    /// The treaties.
    pub treaties: Vec<Treaty>,
}

/// One treaty and its parties.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Treaty {
    /// Stable id, e.g. `hague-apostille-1961`; findings carry it.
    pub id: String,
    /// Its name.
    pub name: Text,
    /// What membership means for a document issued in a party.
    pub effect: TreatyEffect,
    /// Sources for the list.
    pub sources: Vec<String>,
    /// ISO 3166-1 alpha-2 codes of the parties.
    pub parties: Vec<String>,
    /// Countries whose membership the sources do not settle.
    #[serde(default)]
    pub unsettled: Vec<Unsettled>,
}

/// What a treaty does for a document issued in one of its parties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum TreatyEffect {
    /// An apostille replaces the consular legalization.
    Apostille,
    /// Neither an apostille nor a legalization is needed.
    Exempt,
}

/// A country the sources disagree about, or do not settle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Unsettled {
    /// ISO 3166-1 alpha-2 code.
    pub country: String,
    /// What the sources say.
    pub note: Text,
    /// The sources.
    pub sources: Vec<String>,
}

/// Whether a country is a party to a treaty, as far as the sources say.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Membership<'a> {
    /// Listed as a party.
    Party,
    /// Not listed.
    NotListed,
    /// The sources do not settle it.
    Unsettled(&'a Unsettled),
}

impl TreatyData {
    /// The treaty with this id.
    pub fn treaty(&self, id: &str) -> Option<&Treaty> {
        self.treaties.iter().find(|t| t.id == id)
    }

    /// The source with this id.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }
}

impl Treaty {
    /// Whether `country` is a party.
    pub fn membership(&self, country: &str) -> Membership<'_> {
        if let Some(u) = self.unsettled.iter().find(|u| u.country == country) {
            Membership::Unsettled(u)
        } else if self.parties.iter().any(|p| p == country) {
            Membership::Party
        } else {
            Membership::NotListed
        }
    }
}

const FILE: &str = "treaties.toml";

/// The built-in treaty data, parsed and validated once.
pub fn builtin_treaties() -> Result<&'static TreatyData, RulePackError> {
    static DATA: OnceLock<Result<TreatyData, RulePackError>> = OnceLock::new();
    DATA.get_or_init(|| parse_treaties(FILE, include_str!("../../rules/treaties.toml")))
        .as_ref()
        .map_err(Clone::clone)
}

/// Parses and validates treaty data; `file` names it in errors.
pub fn parse_treaties(file: &str, text: &str) -> Result<TreatyData, RulePackError> {
    let fail = |field: String, problem: String| RulePackError {
        file: file.to_owned(),
        field,
        problem,
    };
    let table = text
        .parse::<toml::Table>()
        .map_err(|e| fail("(file)".into(), format!("not valid TOML: {}", e.message())))?;
    // As in a rule pack: each source states its standing and a title in the
    // three languages, named by field when it does not.
    check_declared_sources(&table).map_err(|(field, problem)| fail(field, problem))?;
    let data: TreatyData =
        serde_path_to_error::deserialize(toml::Value::Table(table)).map_err(|e| {
            let field = e.path().to_string();
            fail(
                if field == "." { "(file)".into() } else { field },
                e.into_inner().to_string(),
            )
        })?;
    check(&data).map_err(|(field, problem)| fail(field, problem))?;
    Ok(data)
}

fn check(data: &TreatyData) -> Result<(), (String, String)> {
    if data.format != FORMAT_VERSION {
        return Err((
            "format".into(),
            format!(
                "written for format {}; this Qujat reads format {FORMAT_VERSION}",
                data.format
            ),
        ));
    }
    let mut sources = HashSet::new();
    for (i, s) in data.sources.iter().enumerate() {
        check_id(&format!("sources[{i}].id"), &s.id)?;
        check_text(&format!("sources[{i}].title"), &s.title)?;
        if !sources.insert(s.id.as_str()) {
            return Err((
                format!("sources[{i}].id"),
                format!("\"{}\" is used twice", s.id),
            ));
        }
    }
    let cite = |field: String, id: &str| {
        if sources.contains(id) {
            Ok(())
        } else {
            Err((field, format!("\"{id}\" is not a source of this file")))
        }
    };
    let country = |field: String, code: &str| {
        if is_country(code) {
            Ok(())
        } else {
            Err((
                field,
                format!("\"{code}\" is not an ISO 3166-1 alpha-2 country code (upper case)"),
            ))
        }
    };
    let mut ids = HashSet::new();
    for (t, treaty) in data.treaties.iter().enumerate() {
        let at = |f: &str| format!("treaties[{t}].{f}");
        check_id(&at("id"), &treaty.id)?;
        if !ids.insert(treaty.id.as_str()) {
            return Err((at("id"), format!("\"{}\" is used twice", treaty.id)));
        }
        check_text(&at("name"), &treaty.name)?;
        if treaty.sources.is_empty() {
            return Err((at("sources"), "must cite at least one source".into()));
        }
        for (i, s) in treaty.sources.iter().enumerate() {
            cite(at(&format!("sources[{i}]")), s)?;
        }
        let mut seen = HashSet::new();
        for (i, p) in treaty.parties.iter().enumerate() {
            country(at(&format!("parties[{i}]")), p)?;
            if !seen.insert(p.as_str()) {
                return Err((
                    at(&format!("parties[{i}]")),
                    format!("\"{p}\" is listed twice"),
                ));
            }
        }
        for (i, u) in treaty.unsettled.iter().enumerate() {
            let at = |f: &str| format!("treaties[{t}].unsettled[{i}].{f}");
            country(at("country"), &u.country)?;
            if seen.contains(u.country.as_str()) {
                return Err((
                    at("country"),
                    format!("\"{}\" is also listed as a party", u.country),
                ));
            }
            check_text(&at("note"), &u.note)?;
            if u.sources.is_empty() {
                return Err((at("sources"), "must cite at least one source".into()));
            }
            for (j, s) in u.sources.iter().enumerate() {
                cite(at(&format!("sources[{j}]")), s)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
format = 1
version = "2026.1"
reviewed = 2026-12-04
[[sources]]
id = "hcch"
title = { en = "HCCH status table", ru = "Таблица статуса HCCH", kk = "HCCH мәртебе кестесі" }
reference = "hcch.net"
standing = "official"
[[treaties]]
id = "hague"
effect = "apostille"
name = { en = "Hague", ru = "Гаага", kk = "Гаага" }
sources = ["hcch"]
parties = ["DE", "RU"]
"#;

    fn err(text: &str) -> RulePackError {
        parse_treaties("treaties.toml", text).expect_err("must be refused")
    }

    #[test]
    fn the_builtin_data_is_valid_and_settles_the_known_cases() {
        let data = builtin_treaties().unwrap_or_else(|e| panic!("treaties.toml is broken: {e}"));
        let hague = data.treaty("hague-apostille-1961").expect("hague");
        let minsk = data.treaty("minsk-1993").expect("minsk");
        assert_eq!(hague.membership("DE"), Membership::Party);
        assert_eq!(hague.membership("AE"), Membership::NotListed);
        assert_eq!(minsk.membership("RU"), Membership::Party);
        assert!(matches!(minsk.membership("GE"), Membership::Unsettled(_)));
        assert!(matches!(minsk.membership("TM"), Membership::Unsettled(_)));
    }

    #[test]
    fn a_minimal_file_loads() {
        let data = parse_treaties("treaties.toml", MINIMAL).expect("valid");
        assert_eq!(data.treaties[0].parties, ["DE", "RU"]);
    }

    #[test]
    fn an_unknown_country_code_names_file_and_field() {
        let e = err(&MINIMAL.replace("\"RU\"]", "\"XX\"]"));
        assert_eq!(e.file, "treaties.toml");
        assert_eq!(e.field, "treaties[0].parties[1]");
        assert!(e.problem.contains("\"XX\" is not an ISO 3166-1"), "{e}");
        let e = err(&MINIMAL.replace("\"RU\"]", "\"ru\"]"));
        assert_eq!(
            e.field, "treaties[0].parties[1]",
            "lower case is refused too"
        );
    }

    #[test]
    fn a_source_without_standing_names_file_and_field() {
        let e = err(&MINIMAL.replace("standing = \"official\"\n", ""));
        assert_eq!(
            (e.file.as_str(), e.field.as_str()),
            ("treaties.toml", "sources[0].standing")
        );
        assert!(e.problem.contains("third-party"), "{e}");
        let e = err(&MINIMAL.replace("\"official\"", "\"rumour\""));
        assert_eq!(e.field, "sources[0].standing", "{e}");
    }

    #[test]
    fn a_source_title_is_a_text_in_three_languages() {
        let one_language = MINIMAL.replace(
            "title = { en = \"HCCH status table\", ru = \"Таблица статуса HCCH\", kk = \"HCCH мәртебе кестесі\" }",
            "title = \"HCCH status table\"",
        );
        assert_ne!(one_language, MINIMAL);
        let e = err(&one_language);
        assert_eq!(
            (e.file.as_str(), e.field.as_str()),
            ("treaties.toml", "sources[0].title")
        );
    }

    #[test]
    fn citations_and_duplicates_are_checked() {
        let e = err(&MINIMAL.replace("sources = [\"hcch\"]", "sources = [\"nope\"]"));
        assert_eq!(e.field, "treaties[0].sources[0]");
        let e = err(&MINIMAL.replace("[\"DE\", \"RU\"]", "[\"DE\", \"DE\"]"));
        assert_eq!(e.field, "treaties[0].parties[1]");
        let e = err(&MINIMAL.replace("effect = \"apostille\"", "effect = \"magic\""));
        assert_eq!(e.field, "treaties[0].effect");
    }
}
