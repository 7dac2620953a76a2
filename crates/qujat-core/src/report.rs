//! The result of checking a dossier: what the checklist screen, `qujat check`
//! and its `--json` output all show. These types are the contract of the JSON
//! output and of the IPC boundary (their TypeScript twins are generated).

use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use crate::findings::Finding;
use crate::i18n::Text;
use crate::kind::FileKind;
use crate::profile::Profile;
use crate::rules::{Presence, RequirementKind, Rule};
use crate::store::{Document, DocumentDates, Dossier};

/// A dossier with the status of every stage and requirement.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DossierReport {
    /// The dossier.
    pub dossier: Dossier,
    /// The applicant's profile the checklist was fitted to (empty: every
    /// variant shown); none when nothing is recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub profile: Option<Profile>,
    /// The program it follows.
    pub program: ProgramRef,
    /// Whether every stage checked is complete.
    pub complete: bool,
    /// The stages checked, in procedure order.
    pub stages: Vec<StageReport>,
}

pub use crate::rules::ProgramRef;

/// One stage's status.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StageReport {
    /// Stage id.
    pub id: String,
    /// Stage name.
    pub name: Text,
    /// What happens in it.
    pub description: Text,
    /// Whether every required item is ok and no attached file has a problem.
    pub complete: bool,
    /// Required items that are ok.
    pub required_done: u32,
    /// Required items in all.
    pub required_total: u32,
    /// The stage's requirements, in checklist order.
    pub requirements: Vec<RequirementReport>,
}

/// One requirement's status.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RequirementReport {
    /// Requirement id; `id@cc` for the row of a further citizenship.
    pub id: String,
    /// The country the document comes from, for a requirement asked for per
    /// citizenship once the profile names them.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub country: Option<String>,
    /// Document or step.
    pub kind: RequirementKind,
    /// Required or optional.
    pub presence: Presence,
    /// Name.
    pub name: Text,
    /// What it is and where to get it.
    pub guidance: Text,
    /// Why it is optional, where it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub optional_because: Option<Text>,
    /// Accepted file kinds (empty for steps).
    pub accepts: Vec<FileKind>,
    /// Size limit in bytes (0 for steps).
    #[ts(type = "number")]
    pub max_size: u64,
    /// When `maxSize` is Qujat's cautious default because the portal's own
    /// limit is not published: the open question that says so.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub size_limit_unknown: Option<Text>,
    /// Validity and form rules.
    pub rules: Vec<Rule>,
    /// Missing, ok, needs a date or problem.
    pub status: Status,
    /// Why the status is what it is; empty when ok.
    pub reasons: Vec<Reason>,
    /// The attached file, for documents.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub document: Option<Document>,
    /// The day the step was done, for steps.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string")]
    pub done_on: Option<NaiveDate>,
    /// Other stages that list the same requirement (attached once for all).
    pub also_in: Vec<String>,
    /// What inspection, the document's dates and its content say, blockers
    /// first. A blocker makes the status `problem`; warnings and information
    /// never do. Empty for steps and missing documents.
    pub findings: Vec<Finding>,
    /// The dates the user entered for the attached file.
    pub dates: DocumentDates,
    /// Dates found in the attached file's text, offered as suggestions for
    /// `dates`; never used on their own.
    #[ts(type = "Array<string>")]
    pub dates_found: Vec<NaiveDate>,
    /// The expiry date read from the attached file's machine-readable zone
    /// with every check digit valid: offered as the "valid until" date with
    /// one click, never set on its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string")]
    pub expiry_from_mrz: Option<NaiveDate>,
}

/// The status of one requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum Status {
    /// Nothing attached or confirmed yet.
    Missing,
    /// Attached or confirmed, and nothing wrong found.
    Ok,
    /// Attached, but something is wrong; see the reasons.
    Problem,
    /// Attached and nothing wrong found, but a validity rule needs a date
    /// (day of issue, expiry) that is not known yet: until it is, nobody can
    /// say the document is acceptable, so it is not ready.
    NeedsDate,
}

/// Why a requirement is not ok. Each has a message `reason.<code>` in the
/// catalogue, filled with its fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(
    tag = "code",
    rename_all = "kebab-case",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
pub enum Reason {
    /// No file attached (documents) or no date confirmed (steps).
    Missing,
    /// The file's content is not a kind the requirement accepts.
    WrongKind {
        /// What the file really is.
        found: FileKind,
        /// What the requirement accepts.
        accepted: Vec<FileKind>,
    },
    /// The file is empty.
    Empty,
    /// The same file is attached to another requirement too.
    DuplicateFile {
        /// The other requirement's id.
        other: String,
        /// Its name.
        other_name: Text,
    },
    /// The vault no longer holds the attached file; attach it again.
    FileMissingFromVault,
}

impl Reason {
    /// The reason's code, the suffix of its message key.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::Missing => "missing",
            Reason::WrongKind { .. } => "wrong-kind",
            Reason::Empty => "empty",
            Reason::DuplicateFile { .. } => "duplicate-file",
            Reason::FileMissingFromVault => "file-missing-from-vault",
        }
    }

    /// The reason in `lang`.
    pub fn localized(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::message;
        let key = format!("reason.{}", self.code());
        match self {
            Reason::WrongKind { found, accepted } => message(
                lang,
                &key,
                &[
                    ("found", found.label().to_owned()),
                    (
                        "accepted",
                        accepted
                            .iter()
                            .map(|k| k.label())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                ],
            ),
            Reason::DuplicateFile { other_name, .. } => message(
                lang,
                &key,
                &[("otherName", other_name.get(lang).to_owned())],
            ),
            _ => message(lang, &key, &[]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn reasons_serialise_with_their_code() {
        let r = Reason::WrongKind {
            found: FileKind::Jpeg,
            accepted: vec![FileKind::Pdf],
        };
        assert_eq!(
            serde_json::to_string(&r).expect("json"),
            r#"{"code":"wrong-kind","found":"jpeg","accepted":["pdf"]}"#
        );
    }

    #[test]
    fn every_reason_reads_well_in_every_language() {
        let name = Text {
            en: "CV".into(),
            ru: Some("Резюме".into()),
            kk: Some("Түйіндеме".into()),
        };
        let reasons = [
            Reason::Missing,
            Reason::WrongKind {
                found: FileKind::Jpeg,
                accepted: vec![FileKind::Pdf],
            },
            Reason::Empty,
            Reason::DuplicateFile {
                other: "cv".into(),
                other_name: name,
            },
            Reason::FileMissingFromVault,
        ];
        for r in reasons {
            for lang in Lang::ALL {
                let text = r.localized(lang);
                assert!(
                    !text.starts_with("reason.") && !text.contains('{'),
                    "{} in {}: {text}",
                    r.code(),
                    lang.code()
                );
            }
        }
    }
}
