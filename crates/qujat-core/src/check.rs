//! The completeness check: the status of each requirement of each stage.
//!
//! This is a pure function of the rule pack, the dossier's records and what
//! the vault holds, so it is cheap to run after every change and easy to test.
//! It looks at facts recorded at attach time (kind from the content, size)
//! and at cached inspection verdicts; inspecting files is a separate,
//! out-of-process step (`Workspace::inspect_pending`) that runs before it.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::findings::{self, DocumentFacts, Finding, Moments, Severity};
use crate::inspect::Verdict;
use crate::profile::Profile;
use crate::report::{DossierReport, ProgramRef, Reason, RequirementReport, StageReport, Status};
use crate::rules::{row_id, Presence, Requirement, RequirementKind, RulePack, TreatyData};
use crate::store::DocumentDates;
use crate::store::{Document, Dossier};

/// Everything the check needs about one dossier.
pub struct Facts<'a> {
    /// The dossier.
    pub dossier: &'a Dossier,
    /// Its attached documents.
    pub documents: &'a [Document],
    /// Its confirmed steps and their dates.
    pub confirmations: &'a [(String, NaiveDate)],
    /// Whether the vault holds content with a given hash.
    pub in_vault: &'a dyn Fn(&str) -> bool,
    /// The day of the check (for the program window).
    pub today: NaiveDate,
    /// Cached inspection verdicts, by content hash.
    pub verdicts: &'a HashMap<String, Verdict>,
    /// Dates entered per requirement, with the hash of the file they were
    /// entered for (they do not carry over to another file).
    pub dates: &'a HashMap<String, (String, DocumentDates)>,
    /// The days the procedure will reach, for validity rules.
    pub moments: Moments,
    /// The applicant's profile (empty: every variant is shown).
    pub profile: &'a Profile,
    /// The treaty data deciding apostille and legalization.
    pub treaties: &'a TreatyData,
}

/// One row of the checklist: a requirement, or its row for one citizenship.
struct Row<'p> {
    requirement: &'p Requirement,
    /// The row's id: the requirement's, or `id@cc` for a further citizenship.
    id: String,
    /// The country the document comes from, when the profile says.
    country: Option<String>,
}

/// The rows a requirement gives for this profile: none if its condition is
/// not met, one per citizenship if it asks for that, else one. The first
/// citizenship keeps the plain id, so a document attached before the
/// profile was recorded stays where it was.
fn rows<'p>(r: &'p Requirement, profile: &Profile, treaties: &TreatyData) -> Vec<Row<'p>> {
    if let Some(condition) = &r.applies_if {
        if !profile.satisfies(condition, treaties) {
            return Vec::new();
        }
    }
    if r.per_citizenship == Some(true) && !profile.citizenships.is_empty() {
        return profile
            .citizenships
            .iter()
            .enumerate()
            .map(|(i, c)| Row {
                requirement: r,
                id: if i == 0 {
                    r.id.clone()
                } else {
                    row_id(&r.id, c)
                },
                country: Some(c.clone()),
            })
            .collect();
    }
    vec![Row {
        requirement: r,
        id: r.id.clone(),
        country: None,
    }]
}

/// Checks a dossier against its pack. `only_stage` limits the report to one
/// stage (its completeness then decides `complete`).
pub fn check(pack: &RulePack, facts: &Facts<'_>, only_stage: Option<&str>) -> DossierReport {
    let by_requirement: HashMap<&str, &Document> = facts
        .documents
        .iter()
        .map(|d| (d.requirement_id.as_str(), d))
        .collect();
    let confirmed: HashMap<&str, NaiveDate> = facts
        .confirmations
        .iter()
        .map(|(id, date)| (id.as_str(), *date))
        .collect();

    let stages: Vec<StageReport> = pack
        .stages
        .iter()
        .filter(|s| only_stage.is_none_or(|only| only == s.id))
        .map(|stage| {
            let requirements: Vec<RequirementReport> = stage
                .requirements
                .iter()
                .filter_map(|id| pack.requirement(id))
                .flat_map(|r| rows(r, facts.profile, facts.treaties))
                .map(|row| {
                    let also_in = pack
                        .stages
                        .iter()
                        .filter(|s| {
                            s.id != stage.id && s.requirements.contains(&row.requirement.id)
                        })
                        .map(|s| s.id.clone())
                        .collect();
                    requirement_report(pack, &row, &by_requirement, &confirmed, facts, also_in)
                })
                .collect();
            let required: Vec<_> = requirements
                .iter()
                .filter(|r| r.presence == Presence::Required)
                .collect();
            let required_done = required.iter().filter(|r| r.status == Status::Ok).count() as u32;
            // An attached file whose validity cannot be judged yet holds the
            // stage back like one with a problem, optional or not.
            let complete = required_done as usize == required.len()
                && requirements
                    .iter()
                    .all(|r| !matches!(r.status, Status::Problem | Status::NeedsDate));
            StageReport {
                id: stage.id.clone(),
                name: stage.name.clone(),
                description: stage.description.clone(),
                complete,
                required_done,
                required_total: required.len() as u32,
                requirements,
            }
        })
        .collect();

    DossierReport {
        dossier: facts.dossier.clone(),
        profile: (!facts.profile.is_empty()).then(|| facts.profile.clone()),
        program: ProgramRef::of(pack, facts.today),
        complete: stages.iter().all(|s| s.complete),
        stages,
    }
}

fn requirement_report(
    pack: &RulePack,
    row: &Row<'_>,
    by_requirement: &HashMap<&str, &Document>,
    confirmed: &HashMap<&str, NaiveDate>,
    facts: &Facts<'_>,
    also_in: Vec<String>,
) -> RequirementReport {
    let r = row.requirement;
    let is_document = r.kind == RequirementKind::Document;
    let document = by_requirement.get(row.id.as_str()).map(|d| (*d).clone());
    let done_on = if is_document {
        None
    } else {
        confirmed.get(r.id.as_str()).copied()
    };

    let reasons = match (r.kind, &document) {
        (RequirementKind::Step, _) => {
            if done_on.is_some() {
                vec![]
            } else {
                vec![Reason::Missing]
            }
        }
        (RequirementKind::Document, None) => vec![Reason::Missing],
        (RequirementKind::Document, Some(doc)) => document_reasons(pack, row, doc, facts),
    };
    let dates = document
        .as_ref()
        .and_then(|doc| {
            facts
                .dates
                .get(&row.id)
                .filter(|(sha, _)| *sha == doc.sha256)
                .map(|(_, dates)| *dates)
        })
        .unwrap_or_default();
    let verdict = document
        .as_ref()
        .and_then(|doc| facts.verdicts.get(&doc.sha256));
    // A file that is empty, of the wrong kind or gone has its reason
    // already; what its content holds no longer matters.
    let judged = document.is_some()
        && reasons
            .iter()
            .all(|reason| matches!(reason, Reason::DuplicateFile { .. }));
    let mut findings: Vec<Finding> = if judged {
        findings::document_findings(
            r,
            &DocumentFacts {
                verdict,
                dates,
                moments: &facts.moments,
                applicant_name: &facts.dossier.applicant_name,
            },
        )
    } else {
        vec![]
    };
    // What the profile says holds whether or not a file is attached yet:
    // the apostille goes on the paper original before it is scanned.
    if let Some(country) = &row.country {
        findings.extend(findings::legalization_findings(r, country, facts.treaties));
    }
    // A per-citizenship row speaks for its own country; any other for each
    // of the applicant's citizenships.
    let countries = match &row.country {
        Some(country) => std::slice::from_ref(country),
        None => facts.profile.citizenships.as_slice(),
    };
    findings.extend(findings::citizenship_notes(r, countries));
    findings.sort_by_key(|f| f.severity);
    // Said whatever else is wrong: the name is what the user sees, and a
    // file whose name lies is what a portal rejects without a word. A file
    // over the size limit is kept (so it can be made smaller) and said to
    // be too large whatever its content.
    if let Some(doc) = document
        .as_ref()
        .filter(|doc| doc.size > 0 && (facts.in_vault)(&doc.sha256))
    {
        let accepted = pack.accepts(r).contains(&doc.kind);
        if let Some(found) = findings::name_finding(&doc.original_name, doc.kind, accepted) {
            findings.push(found.into());
        }
        let max_size = pack.max_size_bytes(r);
        if doc.size > max_size {
            findings.push(
                findings::Found::OverSizeLimit {
                    size: doc.size,
                    max_size,
                }
                .into(),
            );
        }
        findings.sort_by_key(|f| f.severity);
    }
    let dates_found = verdict
        .and_then(Verdict::inspection)
        .map(|record| record.dates.clone())
        .unwrap_or_default();
    let expiry_from_mrz = verdict
        .and_then(Verdict::inspection)
        .and_then(findings::mrz_expiry);
    let blocked = findings.iter().any(|f| f.severity == Severity::Blocker);
    let undated = findings.iter().any(|f| f.found.needs_date());
    let status = match reasons.first() {
        None if blocked => Status::Problem,
        None if undated => Status::NeedsDate,
        None => Status::Ok,
        Some(Reason::Missing) => Status::Missing,
        Some(_) => Status::Problem,
    };
    RequirementReport {
        id: row.id.clone(),
        country: row.country.clone(),
        kind: r.kind,
        presence: r.presence,
        name: r.name.clone(),
        guidance: r.guidance.clone(),
        optional_because: r.optional_because.clone(),
        accepts: if is_document {
            pack.accepts(r).to_vec()
        } else {
            vec![]
        },
        max_size: if is_document {
            pack.max_size_bytes(r)
        } else {
            0
        },
        size_limit_unknown: pack.size_limit_unknown(r).map(|u| u.question.clone()),
        rules: r.rules.clone(),
        status,
        reasons,
        document,
        done_on,
        also_in,
        findings,
        dates,
        dates_found,
        expiry_from_mrz,
    }
}

fn document_reasons(
    pack: &RulePack,
    row: &Row<'_>,
    doc: &Document,
    facts: &Facts<'_>,
) -> Vec<Reason> {
    let r = row.requirement;
    if !(facts.in_vault)(&doc.sha256) {
        // Nothing else can be said about a file we no longer have.
        return vec![Reason::FileMissingFromVault];
    }
    let mut reasons = Vec::new();
    if doc.size == 0 {
        reasons.push(Reason::Empty);
    } else {
        let accepted = pack.accepts(r);
        if !accepted.contains(&doc.kind) {
            reasons.push(Reason::WrongKind {
                found: doc.kind,
                accepted: accepted.to_vec(),
            });
        }
    }
    // The same bytes under two different requirements is almost always a
    // mis-click: a CV uploaded as the motivation letter.
    for other in facts.documents {
        if other.requirement_id != row.id && other.sha256 == doc.sha256 && doc.size > 0 {
            let other_requirement = pack.requirement(&other.requirement_id);
            // Unless both requirements say one file may serve them both.
            if r.allow_shared_file && other_requirement.is_some_and(|o| o.allow_shared_file) {
                continue;
            }
            let other_name = other_requirement
                .map(|o| o.name.clone())
                .unwrap_or_default();
            reasons.push(Reason::DuplicateFile {
                other: other.requirement_id.clone(),
                other_name,
            });
        }
    }
    reasons
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::FileKind;
    use crate::rules::builtin_packs;
    use chrono::{TimeZone, Utc};

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("a day")
    }

    fn pilot() -> RulePack {
        builtin_packs()
            .expect("the built-in packs")
            .into_iter()
            .find(|p| p.id == "kz-ai-pilot")
            .expect("the pilot pack")
    }

    fn dossier() -> Dossier {
        let at = Utc
            .with_ymd_and_hms(2026, 1, 5, 9, 0, 0)
            .single()
            .expect("a time");
        Dossier {
            id: "0000abcd".into(),
            program_id: "kz-ai-pilot".into(),
            applicant_name: "Ada Lovelace".into(),
            created_at: at,
            updated_at: at,
            is_demo: false,
        }
    }

    fn document(requirement: &str, name: &str, kind: FileKind, sha: &str) -> Document {
        Document {
            requirement_id: requirement.into(),
            sha256: sha.into(),
            size: 1000,
            kind,
            original_name: name.into(),
            attached_at: dossier().created_at,
        }
    }

    /// The report of `documents` with `dates`, checked on 2026-02-01.
    fn report(
        documents: &[Document],
        dates: &HashMap<String, (String, DocumentDates)>,
    ) -> DossierReport {
        let pack = pilot();
        let today = day("2026-02-01");
        let dossier = dossier();
        let verdicts = HashMap::new();
        let facts = Facts {
            dossier: &dossier,
            documents,
            confirmations: &[],
            in_vault: &|_| true,
            today,
            verdicts: &verdicts,
            dates,
            moments: Moments::of(&pack, &[], today),
            profile: &Profile::default(),
            treaties: crate::rules::builtin_treaties().expect("built-in treaty data"),
        };
        check(&pack, &facts, None)
    }

    fn requirement<'a>(report: &'a DossierReport, id: &str) -> &'a RequirementReport {
        report
            .stages
            .iter()
            .flat_map(|s| &s.requirements)
            .find(|r| r.id == id)
            .expect("the requirement is in the report")
    }

    fn stage_of<'a>(report: &'a DossierReport, requirement: &str) -> &'a StageReport {
        report
            .stages
            .iter()
            .find(|s| s.requirements.iter().any(|r| r.id == requirement))
            .expect("a stage lists it")
    }

    fn dated(
        requirement: &str,
        sha: &str,
        issued_on: Option<&str>,
    ) -> HashMap<String, (String, DocumentDates)> {
        HashMap::from([(
            requirement.to_owned(),
            (
                sha.to_owned(),
                DocumentDates {
                    issued_on: issued_on.map(day),
                    expires_on: None,
                },
            ),
        )])
    }

    #[test]
    fn a_file_under_a_validity_rule_needs_its_date_before_it_is_ready() {
        let clearance = document("police-clearance", "police.pdf", FileKind::Pdf, "aa");
        let undated = report(std::slice::from_ref(&clearance), &HashMap::new());
        let r = requirement(&undated, "police-clearance");
        assert_eq!(r.status, Status::NeedsDate, "{:?}", r.findings);
        assert!(r.findings.iter().any(|f| f.code() == "issue-date-needed"));
        assert!(
            !stage_of(&undated, "police-clearance").complete,
            "a stage with an undated document is not complete"
        );

        let fresh = report(
            std::slice::from_ref(&clearance),
            &dated("police-clearance", "aa", Some("2026-01-10")),
        );
        assert_eq!(requirement(&fresh, "police-clearance").status, Status::Ok);

        let old = report(
            std::slice::from_ref(&clearance),
            &dated("police-clearance", "aa", Some("2025-01-10")),
        );
        let r = requirement(&old, "police-clearance");
        assert_eq!(r.status, Status::Problem);
        assert!(r.findings.iter().any(|f| f.code() == "too-old"));
    }

    #[test]
    fn dates_entered_for_another_file_do_not_make_a_new_one_ready() {
        let clearance = document("police-clearance", "police.pdf", FileKind::Pdf, "bb");
        let stale = report(
            &[clearance],
            &dated("police-clearance", "aa", Some("2026-01-10")),
        );
        assert_eq!(
            requirement(&stale, "police-clearance").status,
            Status::NeedsDate
        );
    }

    #[test]
    fn a_file_without_validity_rules_is_ready_without_dates() {
        let cv = document("cv", "cv.pdf", FileKind::Pdf, "cc");
        let r = report(&[cv], &HashMap::new());
        assert_eq!(requirement(&r, "cv").status, Status::Ok);
    }

    #[test]
    fn a_renamed_jpeg_is_called_a_jpeg_and_judged_by_what_it_is() {
        // The passport copy accepts JPEG: ready once dated, with a note.
        let passport = document("passport-copy", "passport.PDF", FileKind::Jpeg, "dd");
        let dates = HashMap::from([(
            "passport-copy".to_owned(),
            (
                "dd".to_owned(),
                DocumentDates {
                    issued_on: Some(day("2020-01-01")),
                    expires_on: Some(day("2035-01-01")),
                },
            ),
        )]);
        let accepted = report(&[passport], &dates);
        let r = requirement(&accepted, "passport-copy");
        assert_eq!(r.status, Status::Ok, "{:?}", r.findings);
        let note = r
            .findings
            .iter()
            .find(|f| f.code() == "disguised-kind")
            .expect("the renamed file is pointed out");
        assert_eq!(note.severity, Severity::Info);
        assert!(
            note.message(crate::i18n::Lang::En).contains("JPEG")
                && note.hint(crate::i18n::Lang::En).contains(".jpg"),
            "{}",
            note.hint(crate::i18n::Lang::En)
        );

        // The CV accepts PDF only: a problem, and the name is explained.
        let cv = document("cv", "cv.pdf", FileKind::Jpeg, "ee");
        let refused = report(&[cv], &HashMap::new());
        let r = requirement(&refused, "cv");
        assert_eq!(r.status, Status::Problem);
        assert!(matches!(r.reasons[0], Reason::WrongKind { .. }));
        assert!(r
            .findings
            .iter()
            .any(|f| f.code() == "disguised-kind-refused"));

        // An honest name says nothing more.
        let photo = document("photo", "photo.jpeg", FileKind::Jpeg, "ff");
        let honest = report(&[photo], &HashMap::new());
        assert!(!requirement(&honest, "photo")
            .findings
            .iter()
            .any(|f| f.code().starts_with("disguised")));
    }
}
