//! The checklist fitted to the applicant's profile, through the workspace
//! and the built-in packs and treaty data.

use chrono::{DateTime, NaiveDate, Utc};

use crate::findings::Finding;
use crate::profile::Profile;
use crate::report::{DossierReport, RequirementReport};
use crate::Workspace;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-02T09:00:00Z")
        .expect("time")
        .with_timezone(&Utc)
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).expect("date")
}

fn profile(citizenships: &[&str]) -> Profile {
    let list: Vec<String> = citizenships.iter().map(|c| (*c).to_owned()).collect();
    Profile::new(&list, None).expect("valid")
}

fn police_rows(report: &DossierReport) -> Vec<&RequirementReport> {
    let stage = report
        .stages
        .iter()
        .find(|s| {
            s.requirements
                .iter()
                .any(|r| r.id.starts_with("police-clearance"))
        })
        .expect("a stage with the police clearance");
    stage
        .requirements
        .iter()
        .filter(|r| r.id.starts_with("police-clearance"))
        .collect()
}

fn codes(findings: &[Finding]) -> Vec<String> {
    findings.iter().map(Finding::code).collect()
}

#[test]
fn the_police_clearance_fits_the_citizenships() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut ws = Workspace::open(&dir.path().join("data")).expect("open");

    let none = ws
        .create_dossier("kz-in-demand", "No Profile", now())
        .expect("dossier");
    let report = ws.report(&none.id, None, today()).expect("report");
    let rows = police_rows(&report);
    assert_eq!(rows.len(), 1, "without a profile, one row as before");
    assert_eq!(rows[0].country, None);
    assert!(codes(&rows[0].findings).is_empty());

    let german = ws
        .create_dossier_with_profile("kz-in-demand", "Anna Weber", &profile(&["DE"]), now())
        .expect("dossier");
    let report = ws.report(&german.id, None, today()).expect("report");
    let rows = police_rows(&report);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].id, "police-clearance");
    assert_eq!(codes(&rows[0].findings), ["apostille-needed"]);
    let text = rows[0].findings[0].message(crate::i18n::Lang::En);
    assert!(
        text.contains("Germany") && text.contains("apostille"),
        "{text}"
    );
    assert_eq!(
        report.profile.as_ref().map(|p| p.citizenships.clone()),
        Some(vec!["DE".to_owned()])
    );

    let russian = ws
        .create_dossier_with_profile("kz-in-demand", "Ivan Petrov", &profile(&["RU"]), now())
        .expect("dossier");
    let report = ws.report(&russian.id, None, today()).expect("report");
    let rows = police_rows(&report);
    assert_eq!(codes(&rows[0].findings), ["no-legalization-needed"]);
    let text = rows[0].findings[0].message(crate::i18n::Lang::Ru);
    assert!(text.contains("Минская"), "the treaty is named: {text}");

    // A dual citizen: one row per country, the first keeping the plain id
    // so what was attached before stays.
    ws.set_profile(&german.id, &profile(&["DE", "RU"]), now())
        .expect("dual");
    let report = ws.report(&german.id, None, today()).expect("report");
    let rows = police_rows(&report);
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["police-clearance", "police-clearance@ru"]);
    assert_eq!(rows[1].country.as_deref(), Some("RU"));
    assert_eq!(codes(&rows[1].findings), ["no-legalization-needed"]);

    // The second row takes its own file.
    let file = dir.path().join("ru-clearance.pdf");
    std::fs::write(&file, b"%PDF-1.4\n%ru\n").expect("write");
    ws.attach(&german.id, "police-clearance@ru", &file, now())
        .expect("attach to the second row");
    let report = ws.report(&german.id, None, today()).expect("report");
    let rows = police_rows(&report);
    assert!(rows[0].document.is_none());
    assert!(rows[1].document.is_some());

    // A country party to no treaty in the data needs a legalization.
    ws.set_profile(&german.id, &profile(&["AE"]), now())
        .expect("emirati");
    let report = ws.report(&german.id, None, today()).expect("report");
    assert_eq!(
        codes(&police_rows(&report)[0].findings),
        ["legalization-needed"]
    );
}
