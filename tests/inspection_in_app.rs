//! End-to-end: document inspection in the app window, driven over WebDriver
//! (see `tests/common/mod.rs`).
//!
//! The dossier is seeded through `qujat_core`: a motivation letter that is a
//! PDF cut short, and a police clearance whose text carries its day of
//! issue. Opening the dossier inspects both in the background (the status
//! line counts them); the damaged letter then shows a blocker with its hint
//! under the file, the clearance asks for its day of issue and offers the
//! date found in its text. Taking the suggestion only fills the field;
//! nothing changes until Save, and then the clearance, issued 400 days ago,
//! is a blocker (at most 180 days are accepted). Dates typed by hand follow
//! the UI language: 9/11/2030 in Russian becomes 09.11.2030, read back as
//! "9 ноября 2030 г."; in Kazakh 31.02.2030 is refused in Kazakh, and a
//! step's day after today is refused before it is confirmed. Screenshots in
//! English, Russian and Kazakh (one in the dark theme) go to `tests/artifacts/`.
//!
//! One test function: every binary here talks to the same driver port.

mod common;

use std::fs;
use std::path::Path;
use std::time::Duration;

use chrono::{Days, Local, NaiveDate, Utc};
use common::finish;
use common::{attr_of, set_value, until};
use common::{by_id, click_id, one_page_pdf, open_app, shot_of, TauriDriver};
use qujat_core::Workspace;
use thirtyfour::prelude::*;

/// Seeds a pilot dossier: the letter cut short after 150 bytes, and the
/// clearance issued on `issued` (written in its text as DD.MM.YYYY).
fn seed(home: &Path, data_dir: &Path, issued: NaiveDate) -> String {
    let letter = home.join("Motivation letter.pdf");
    let whole = one_page_pdf("Motivation letter of Aigerim Test");
    fs::write(&letter, &whole[..150]).expect("fixture");
    let clearance = home.join("Police clearance.pdf");
    fs::write(
        &clearance,
        one_page_pdf(&format!(
            "Certificate of no criminal record. Aigerim Test. Issued {}",
            issued.format("%d.%m.%Y")
        )),
    )
    .expect("fixture");
    let now = Utc::now();
    let mut ws = Workspace::open(data_dir).expect("the data folder");
    let dossier = ws
        .create_dossier("kz-ai-pilot", "Aigerim Test", now)
        .expect("a dossier");
    ws.attach(&dossier.id, "motivation-letter", &letter, now)
        .expect("the letter attaches");
    ws.attach(&dossier.id, "police-clearance", &clearance, now)
        .expect("the clearance attaches");
    dossier.id
}

/// The text of every finding shown for a requirement, in order, with severities.
async fn findings(driver: &WebDriver, requirement: &str) -> WebDriverResult<Vec<(String, String)>> {
    let items = driver
        .find_all(By::Css(format!("[data-testid^='finding-{requirement}-']")))
        .await?;
    let mut out = Vec::new();
    for item in items {
        let severity = item.attr("data-severity").await?.unwrap_or_default();
        out.push((severity, item.text().await?));
    }
    Ok(out)
}

/// The day a date field reads, in words, with plain spaces (it keeps the
/// date's words on one line with no-break spaces).
async fn reads(driver: &WebDriver, field: &str) -> WebDriverResult<String> {
    let text = by_id(driver, &format!("{field}-reads"))
        .await?
        .text()
        .await?;
    Ok(text.replace('\u{a0}', " "))
}

/// What the UI showed, checked after the app has closed.
#[derive(Debug, Default)]
struct Seen {
    status_seen_done: bool,
    letter: Vec<(String, String)>,
    clearance_before: Vec<(String, String)>,
    suggestion: String,
    issued_after_chip: String,
    clearance_after_chip: Vec<(String, String)>,
    clearance_after_save: Vec<(String, String)>,
    russian_letter: Vec<(String, String)>,
    russian_status: String,
    /// The issued day saved above, as the Russian field writes it.
    russian_issued: String,
    /// "9/11/2030" typed into the Russian field: its text after leaving it, and the day in words.
    russian_typed: String,
    russian_reads: String,
    kazakh_reads: String,
    /// "31.02.2030" typed in Kazakh: the field's aria-invalid and the message.
    kazakh_invalid: String,
    kazakh_problem: String,
    /// A step's day after today, in Kazakh: the message, and whether the step is still to confirm.
    kazakh_future: String,
    step_still_open: bool,
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs an X display, tauri-driver and xdotool: run scripts/test.sh"]
async fn findings_hints_and_dates_in_the_app() {
    let home = tempfile::tempdir().expect("temp dir");
    let data_dir = home.path().join("data");
    let today = Local::now().date_naive();
    let issued = today
        .checked_sub_days(Days::new(400))
        .expect("a date 400 days ago");
    seed(home.path(), &data_dir, issued);

    let _driver_process = TauriDriver::start(&data_dir);
    let driver = open_app().await.expect("session with the app");
    let mut seen = Seen::default();
    let run: WebDriverResult<()> = async {
        by_id(&driver, "dossier-item").await?.click().await?;
        by_id(&driver, "stage-tab-astana-hub")
            .await?
            .click()
            .await?;
        // Both files are inspected in the background; the status line says so.
        seen.status_seen_done = until(|| async {
            Ok(attr_of(&driver, "inspect-status", "data-state").await? == "done")
        })
        .await?;
        until(|| async { Ok(!findings(&driver, "motivation-letter").await?.is_empty()) }).await?;
        seen.letter = findings(&driver, "motivation-letter").await?;
        shot_of(
            &driver,
            "requirement-motivation-letter",
            "30-inspection-damaged-letter",
        )
        .await?;

        seen.clearance_before = findings(&driver, "police-clearance").await?;
        let chip = by_id(&driver, "date-suggestion-police-clearance-0").await?;
        seen.suggestion = chip.text().await?;
        shot_of(
            &driver,
            "dates-police-clearance",
            "31-inspection-dates-form",
        )
        .await?;
        chip.click().await?;
        seen.issued_after_chip = by_id(&driver, "dates-issued-police-clearance")
            .await?
            .prop("value")
            .await?
            .unwrap_or_default();
        // Filled, not saved: the report still asks for the date.
        tokio::time::sleep(Duration::from_millis(500)).await;
        seen.clearance_after_chip = findings(&driver, "police-clearance").await?;

        by_id(&driver, "dates-save-police-clearance")
            .await?
            .click()
            .await?;
        until(|| async {
            Ok(attr_of(&driver, "finding-police-clearance-0", "data-severity").await? == "blocker")
        })
        .await?;
        seen.clearance_after_save = findings(&driver, "police-clearance").await?;
        shot_of(
            &driver,
            "requirement-police-clearance",
            "32-inspection-too-old",
        )
        .await?;

        set_value(&driver, "language-select", "ru").await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        seen.russian_letter = findings(&driver, "motivation-letter").await?;
        seen.russian_status = by_id(&driver, "inspect-status").await?.text().await?;
        shot_of(
            &driver,
            "requirement-motivation-letter",
            "33-ru-inspection-damaged-letter",
        )
        .await?;
        shot_of(
            &driver,
            "requirement-police-clearance",
            "34-ru-inspection-too-old",
        )
        .await?;

        // Dates typed by hand follow the UI language, not the system's: in
        // Russian day.month.year, read back in words under the field.
        let issued_field = by_id(&driver, "dates-issued-police-clearance").await?;
        seen.russian_issued = issued_field.prop("value").await?.unwrap_or_default();
        let expires = by_id(&driver, "dates-expires-police-clearance").await?;
        expires.send_keys("9/11/2030").await?;
        expires.send_keys(Key::Tab).await?;
        seen.russian_typed = expires.prop("value").await?.unwrap_or_default();
        seen.russian_reads = reads(&driver, "dates-expires-police-clearance").await?;
        shot_of(&driver, "dates-police-clearance", "35-ru-date-field").await?;

        // In Kazakh the same day in Kazakh words; a day the calendar lacks is refused.
        set_value(&driver, "language-select", "kk").await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        seen.kazakh_reads = reads(&driver, "dates-expires-police-clearance").await?;
        shot_of(&driver, "dates-police-clearance", "36-kk-date-field").await?;
        let expires = by_id(&driver, "dates-expires-police-clearance").await?;
        expires.send_keys(Key::Control + "a").await?;
        expires.send_keys("31.02.2030").await?;
        expires.send_keys(Key::Tab).await?;
        seen.kazakh_invalid = expires.attr("aria-invalid").await?.unwrap_or_default();
        seen.kazakh_problem = by_id(&driver, "dates-expires-police-clearance-problem")
            .await?
            .text()
            .await?;
        shot_of(
            &driver,
            "dates-police-clearance",
            "37-kk-date-field-refused",
        )
        .await?;

        // A step's day in the dark theme: a day after today is refused before
        // anything is saved, and the field says why.
        set_value(&driver, "theme-select", "dark").await?;
        by_id(&driver, "stage-tab-embassy").await?.click().await?;
        let step_day = by_id(&driver, "date-embassy-request").await?;
        step_day.send_keys(Key::Control + "a").await?;
        step_day.send_keys("01.01.2099").await?;
        click_id(&driver, "confirm-embassy-request").await?;
        seen.kazakh_future = by_id(&driver, "date-embassy-request-problem")
            .await?
            .text()
            .await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        seen.step_still_open = by_id(&driver, "confirm-embassy-request").await.is_ok();
        shot_of(
            &driver,
            "requirement-embassy-request",
            "38-kk-dark-step-date-refused",
        )
        .await?;
        set_value(&driver, "theme-select", "system").await?;
        set_value(&driver, "language-select", "en").await?;
        Ok(())
    }
    .await;
    finish(driver, run, "39-inspection-failure").await;

    assert!(
        seen.status_seen_done,
        "the background inspection finished: {seen:?}"
    );
    let (severity, text) = seen.letter.first().expect("a finding on the letter");
    assert_eq!(severity, "blocker", "{seen:?}");
    assert!(
        text.contains("cannot be read as a PDF") && text.contains("Open it on your computer"),
        "the damaged letter's finding with its hint: {text}"
    );
    assert!(
        text.to_lowercase().contains("blocker"),
        "the severity is said in words, not colour alone: {text}"
    );
    assert!(
        seen.clearance_before
            .iter()
            .any(|(s, t)| s == "warning" && t.contains("day of issue")),
        "the clearance asks for its day of issue: {seen:?}"
    );
    assert!(
        seen.clearance_before.iter().all(|(s, _)| s != "blocker"),
        "no blocker before a date is entered: {seen:?}"
    );
    assert!(seen.suggestion.starts_with("Use "), "{seen:?}");
    assert_eq!(
        seen.issued_after_chip,
        issued.to_string(),
        "the suggestion fills the field"
    );
    assert_eq!(
        seen.clearance_after_chip, seen.clearance_before,
        "a suggestion is never used before Save"
    );
    let (severity, text) = seen
        .clearance_after_save
        .first()
        .expect("a finding after Save");
    assert_eq!(severity, "blocker", "{seen:?}");
    assert!(
        text.contains("days old") && text.contains("180"),
        "too old, with the limit: {text}"
    );
    let (_, russian) = seen.russian_letter.first().expect("a finding in Russian");
    assert!(
        russian.chars().any(|c| ('а'..='я').contains(&c)),
        "the finding in Russian: {russian}"
    );
    assert!(
        seen.russian_status
            .chars()
            .any(|c| ('а'..='я').contains(&c)),
        "the status line in Russian: {}",
        seen.russian_status
    );
    assert_eq!(
        seen.russian_issued,
        issued.format("%d.%m.%Y").to_string(),
        "the saved day in the Russian order: {seen:?}"
    );
    assert_eq!(seen.russian_typed, "09.11.2030", "{seen:?}");
    assert!(
        seen.russian_reads.contains("9 ноября 2030"),
        "the typed day in Russian words: {seen:?}"
    );
    assert!(
        seen.kazakh_reads.contains("2030") && seen.kazakh_reads.contains("қараша"),
        "the same day in Kazakh words: {seen:?}"
    );
    assert_eq!(seen.kazakh_invalid, "true", "{seen:?}");
    assert!(
        seen.kazakh_problem.contains("31.02.2030")
            && seen
                .kazakh_problem
                .chars()
                .any(|c| ('а'..='я').contains(&c)),
        "an impossible day refused in Kazakh: {seen:?}"
    );
    assert!(
        seen.kazakh_future.contains("бүгін") && seen.step_still_open,
        "a step's day after today refused, nothing confirmed: {seen:?}"
    );
}
