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

/// The text of a PDF, read back with the real `pdftotext`.
fn pdf_text(path: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success(), "pdftotext: {out:?}");
    // Lines wrap in print; the words are what is checked.
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_printed_checklist_names_the_profile_and_what_each_country_needs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut ws = Workspace::open(&dir.path().join("data")).expect("open");
    let dual = Profile::new(&["DE".to_owned(), "RU".to_owned()], Some("TR")).expect("valid");
    let dossier = ws
        .create_dossier_with_profile("kz-in-demand", "Anna Weber", &dual, now())
        .expect("dossier");

    let path = dir.path().join("checklist.pdf");
    ws.write_dossier_checklist_pdf(&dossier.id, crate::i18n::Lang::En, today(), &path)
        .expect("printed");
    let text = pdf_text(&path);
    for expected in [
        "Citizenship: Germany, Russian Federation.",
        "Residence: Türkiye.",
        "Issued in Germany: it needs an apostille",
        "Issued in Russian Federation: no apostille or legalization is needed",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} is printed in: {text}"
        );
    }
    // The police clearance is one line to tick, not one per country.
    assert_eq!(
        text.matches("Police clearance certificate").count(),
        1,
        "{text}"
    );

    let ru = dir.path().join("checklist-ru.pdf");
    ws.write_dossier_checklist_pdf(&dossier.id, crate::i18n::Lang::Ru, today(), &ru)
        .expect("printed");
    let text = pdf_text(&ru);
    assert!(
        text.contains("Гражданство: Германия, Российская Федерация."),
        "{text}"
    );
    assert!(text.contains("Страна проживания: Турция."), "{text}");

    // Without a profile the print is as before: no profile lines.
    let plain = ws
        .create_dossier("kz-in-demand", "No Profile", now())
        .expect("dossier");
    let path = dir.path().join("plain.pdf");
    ws.write_dossier_checklist_pdf(&plain.id, crate::i18n::Lang::En, today(), &path)
        .expect("printed");
    let text = pdf_text(&path);
    assert!(!text.contains("Citizenship:"), "{text}");
    assert!(!text.contains("Issued in"), "{text}");
}

#[test]
fn a_russian_citizen_is_told_that_russia_issues_no_exit_consent() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut ws = Workspace::open(&dir.path().join("data")).expect("open");
    let exit_consent = |ws: &Workspace, id: &str| {
        let report = ws.report(id, None, today()).expect("report");
        report
            .stages
            .iter()
            .flat_map(|s| s.requirements.clone())
            .find(|r| r.id == "exit-consent")
            .expect("the exit consent row")
    };

    let ivan = ws
        .create_dossier_with_profile("kz-in-demand", "Ivan Petrov", &profile(&["RU"]), now())
        .expect("dossier");
    let row = exit_consent(&ws, &ivan.id);
    assert_eq!(codes(&row.findings), ["citizenship-note"]);
    let en = row.findings[0].message(crate::i18n::Lang::En);
    assert!(
        en.starts_with("As a citizen of Russian Federation:")
            && en.contains("issues no such document"),
        "{en}"
    );
    let kk = row.findings[0].message(crate::i18n::Lang::Kk);
    assert!(kk.contains("Ресей"), "{kk}");

    let anna = ws
        .create_dossier_with_profile("kz-in-demand", "Anna Weber", &profile(&["DE"]), now())
        .expect("dossier");
    assert!(exit_consent(&ws, &anna.id).findings.is_empty());

    // And on paper, on the exit consent's line.
    let path = dir.path().join("ivan.pdf");
    ws.write_dossier_checklist_pdf(&ivan.id, crate::i18n::Lang::En, today(), &path)
        .expect("printed");
    assert!(pdf_text(&path)
        .contains("As a citizen of Russian Federation: The Russian Consulate General"));
}
