//! End-to-end: packages, the case timeline and the deadlines, in the real
//! app window driven over WebDriver (see `tests/common/mod.rs`).
//!
//! The dossier is seeded through `qujat_core` on the data folder the app then
//! opens: the ministry's notice attached (so that stage is complete), the
//! first two events recorded. Through the UI the test then packs the
//! complete stage into a ZIP and checks it with the core's verifier, sees a
//! stage with blockers refuse, records the eGov submission and the approval
//! (and sees an impossible event refused with a clear message), reads the
//! entry window off "what's next", exports the calendar through the save
//! dialog and parses it with an independent iCalendar parser, and verifies
//! a valid and a tampered package. Screenshots of each screen, in English
//! and Russian, go to `tests/artifacts/`.
//!
//! One test function: every binary here talks to the same driver port.

mod common;

use std::fs;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use chrono::{Days, Local, NaiveDate, Utc};
use common::finish;
use common::{
    answer_file_dialog, answer_save_dialog, by_id, one_page_pdf, open_app, shot, shot_of,
    TauriDriver,
};
use common::{set_value, wait_attr};
use qujat_core::i18n::Lang;
use qujat_core::package::{self, PackFormat, PackOptions};
use qujat_core::Workspace;
use thirtyfour::prelude::*;

fn days_before(day: NaiveDate, n: u64) -> NaiveDate {
    day.checked_sub_days(Days::new(n)).expect("a date")
}

/// Seeds the data folder: a pilot dossier with the ministry's notice
/// attached and the first two events recorded. Also packs that stage into a
/// ZIP and alters one byte of the notice inside it (documents are stored
/// uncompressed). Returns the dossier id and the tampered package.
fn seed(home: &Path, data_dir: &Path, today: NaiveDate) -> (String, PathBuf) {
    let notice = home.join("Ministry notice.pdf");
    fs::write(&notice, one_page_pdf("Notice of the ministry")).expect("fixture");
    let now = Utc::now();
    let mut ws = Workspace::open(data_dir).expect("the data folder");
    let dossier = ws
        .create_dossier("kz-ai-pilot", "Aigerim Test", now)
        .expect("a dossier");
    ws.attach(&dossier.id, "ministry-notice", &notice, now)
        .expect("the notice attaches");
    ws.record_event(
        &dossier.id,
        "astana-hub-submitted",
        days_before(today, 40),
        None,
        today,
        now,
    )
    .expect("first event");
    ws.record_event(
        &dossier.id,
        "ministry-notice-received",
        days_before(today, 30),
        Some("Signed with the ministry's EDS"),
        today,
        now,
    )
    .expect("second event");
    let tampered = home.join("tampered package.zip");
    let options = PackOptions {
        out: tampered.clone(),
        format: PackFormat::Zip,
        allow_incomplete: false,
        force: false,
        date: today,
        lang: Lang::En,
    };
    ws.pack(
        &dossier.id,
        "ministry-notice",
        &options,
        &|_| {},
        &AtomicBool::new(false),
    )
    .expect("a package");
    let mut bytes = fs::read(&tampered).expect("the package");
    let needle = b"(Notice of the ministry)";
    let at: Vec<usize> = bytes
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| w == needle)
        .map(|(i, _)| i)
        .collect();
    assert_eq!(at.len(), 1, "the notice is stored once, uncompressed");
    bytes[at[0] + 1] = b'n';
    fs::write(&tampered, bytes).expect("alter the notice");
    (dossier.id, tampered)
}

/// Waits until the element's text contains `expected`; returns the last text seen.
async fn wait_text(driver: &WebDriver, test_id: &str, expected: &str) -> WebDriverResult<String> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let seen = match by_id(driver, test_id).await {
            Ok(element) => element.text().await?,
            Err(_) => String::new(),
        };
        if seen.contains(expected) || Instant::now() > deadline {
            return Ok(seen);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The number of the recorded event of `kind`, from its row on the timeline.
async fn event_id(driver: &WebDriver, kind: &str) -> WebDriverResult<String> {
    let row = driver
        .find(By::Css(format!(
            "[data-testid='timeline-panel'] [data-kind='{kind}']"
        )))
        .await?;
    let test_id = row.attr("data-testid").await?.unwrap_or_default();
    Ok(test_id.trim_start_matches("event-").to_owned())
}

async fn dialog(answer: fn(&Path), path: &Path) {
    let path = path.to_owned();
    tokio::task::spawn_blocking(move || answer(&path))
        .await
        .expect("dialog driver");
}

/// What the UI showed, checked after the app has closed.
#[derive(Debug, Default)]
struct Seen {
    pack_result: String,
    blockers: String,
    start_enabled_with_blockers: bool,
    refusal: String,
    egov_event: bool,
    entry_state: String,
    entry_date: String,
    decision_state: String,
    exported: bool,
    valid_verdict: String,
    tampered_verdict: String,
    tampered_text: String,
    russian_title: String,
    corrected_note: String,
    entry_after_arrival: String,
    entry_after_removal: String,
    history: String,
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs an X display, tauri-driver and xdotool: run scripts/test.sh"]
async fn pack_verify_record_events_and_export_the_deadlines() {
    let home = tempfile::tempdir().expect("temp dir");
    let data_dir = home.path().join("data");
    let today = Local::now().date_naive();
    let (_dossier, tampered) = seed(home.path(), &data_dir, today);
    let zip = home.path().join("out").join("notice package.zip");
    fs::create_dir_all(zip.parent().expect("parent")).expect("out folder");
    let calendar = home.path().join("out").join("deadlines.ics");
    let submitted = days_before(today, 10);
    let approved = days_before(today, 5);

    let _driver_process = TauriDriver::start(&data_dir);
    let driver = open_app().await.expect("session with the app");
    let run = async {
        let mut seen = Seen::default();
        by_id(&driver, "dossier-item").await?.click().await?;
        by_id(&driver, "deadlines-panel").await?;
        shot(&driver, "10-dossier-whats-next").await?;

        // Pack the complete stage into a ZIP through the save dialog.
        by_id(&driver, "stage-tab-ministry-notice")
            .await?
            .click()
            .await?;
        by_id(&driver, "pack-open-ministry-notice")
            .await?
            .click()
            .await?;
        by_id(&driver, "pack-format-zip").await?.click().await?;
        shot_of(&driver, "pack-panel", "11-pack-form").await?;
        by_id(&driver, "pack-start").await?.click().await?;
        dialog(answer_save_dialog, &zip).await;
        seen.pack_result = by_id(&driver, "pack-result").await?.text().await?;
        shot_of(&driver, "pack-panel", "12-pack-result").await?;
        by_id(&driver, "pack-close").await?.click().await?;

        // A stage with blockers names them and will not start until asked to.
        by_id(&driver, "stage-tab-egov").await?.click().await?;
        by_id(&driver, "pack-open-egov").await?.click().await?;
        seen.blockers = by_id(&driver, "pack-blockers").await?.text().await?;
        seen.start_enabled_with_blockers = by_id(&driver, "pack-start").await?.is_enabled().await?;
        shot_of(&driver, "pack-panel", "13-pack-blockers").await?;
        by_id(&driver, "pack-close").await?.click().await?;

        // Record the eGov submission.
        set_value(&driver, "event-kind", "egov-submitted").await?;
        set_value(&driver, "event-date", &submitted.to_string()).await?;
        by_id(&driver, "event-note")
            .await?
            .send_keys("Application 4711")
            .await?;
        by_id(&driver, "event-add").await?.click().await?;
        seen.egov_event = driver
            .find(By::Css(
                "[data-testid='timeline-panel'] [data-kind='egov-submitted']",
            ))
            .await
            .is_ok();

        // Arrival cannot come before an approval: refused, and said why.
        set_value(&driver, "event-kind", "arrived").await?;
        set_value(&driver, "event-date", &today.to_string()).await?;
        by_id(&driver, "event-add").await?.click().await?;
        seen.refusal = by_id(&driver, "event-error").await?.text().await?;
        shot_of(&driver, "timeline-panel", "14-timeline-refused").await?;

        // The approval opens the entry window.
        set_value(&driver, "event-kind", "approved").await?;
        set_value(&driver, "event-date", &approved.to_string()).await?;
        by_id(&driver, "event-add").await?.click().await?;
        driver
            .find(By::Css(
                "[data-testid='timeline-panel'] [data-kind='approved']",
            ))
            .await?;
        driver
            .find(By::Css("[data-testid='event-history'] summary"))
            .await?
            .click()
            .await?;
        shot_of(&driver, "timeline-panel", "15-timeline").await?;
        seen.entry_state =
            wait_attr(&driver, "deadline-entry-window", "data-state", "upcoming").await?;
        seen.entry_date = by_id(&driver, "deadline-date-entry-window")
            .await?
            .attr("data-date")
            .await?
            .unwrap_or_default();
        seen.decision_state =
            wait_attr(&driver, "deadline-decision-expected", "data-state", "done").await?;
        shot_of(&driver, "deadlines-panel", "16-whats-next").await?;

        // Export the calendar through the save dialog.
        by_id(&driver, "export-ics").await?.click().await?;
        dialog(answer_save_dialog, &calendar).await;
        seen.exported = by_id(&driver, "export-done").await.is_ok();

        // Verify the ZIP made above, then the tampered one.
        by_id(&driver, "verify-open").await?.click().await?;
        by_id(&driver, "verify-pick-zip").await?.click().await?;
        dialog(answer_file_dialog, &zip).await;
        seen.valid_verdict = wait_attr(&driver, "verify-result", "data-valid", "true").await?;
        shot_of(&driver, "verify-panel", "17-verify-valid").await?;
        by_id(&driver, "verify-pick-zip").await?.click().await?;
        dialog(answer_file_dialog, &tampered).await;
        seen.tampered_verdict = wait_attr(&driver, "verify-result", "data-valid", "false").await?;
        seen.tampered_text = by_id(&driver, "verify-result").await?.text().await?;
        shot_of(&driver, "verify-panel", "18-verify-invalid").await?;

        // Correct a note; record the arrival, then remove it again.
        let egov = event_id(&driver, "egov-submitted").await?;
        by_id(&driver, &format!("event-correct-{egov}"))
            .await?
            .click()
            .await?;
        // By its id: the row's day is a text field too, before the note.
        let note = driver.find(By::Id(format!("note-{egov}"))).await?;
        note.clear().await?;
        note.send_keys("Application 4711, receipt 12").await?;
        by_id(&driver, &format!("event-save-{egov}"))
            .await?
            .click()
            .await?;
        seen.corrected_note = wait_text(&driver, &format!("event-{egov}"), "receipt 12").await?;
        set_value(&driver, "event-kind", "arrived").await?;
        set_value(&driver, "event-date", &today.to_string()).await?;
        by_id(&driver, "event-add").await?.click().await?;
        seen.entry_after_arrival =
            wait_attr(&driver, "deadline-entry-window", "data-state", "done").await?;
        let arrived = event_id(&driver, "arrived").await?;
        by_id(&driver, &format!("event-remove-{arrived}"))
            .await?
            .click()
            .await?;
        shot_of(&driver, "timeline-panel", "15b-timeline-remove").await?;
        by_id(&driver, &format!("event-remove-confirm-{arrived}"))
            .await?
            .click()
            .await?;
        seen.entry_after_removal =
            wait_attr(&driver, "deadline-entry-window", "data-state", "upcoming").await?;
        seen.history = by_id(&driver, "event-history").await?.text().await?;

        // The same screens in Russian and Kazakh.
        set_value(&driver, "language-select", "ru").await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        seen.russian_title = by_id(&driver, "deadlines-panel").await?.text().await?;
        shot_of(&driver, "deadlines-panel", "20-ru-whats-next").await?;
        shot_of(&driver, "timeline-panel", "21-ru-timeline").await?;
        by_id(&driver, "stage-tab-egov").await?.click().await?;
        by_id(&driver, "pack-open-egov").await?.click().await?;
        shot_of(&driver, "pack-panel", "22-ru-pack-blockers").await?;
        set_value(&driver, "language-select", "kk").await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        shot_of(&driver, "deadlines-panel", "23-kk-whats-next").await?;
        shot_of(&driver, "timeline-panel", "24-kk-timeline").await?;
        set_value(&driver, "language-select", "en").await?;
        WebDriverResult::Ok(seen)
    }
    .await;
    let seen = finish(driver, run, "19-failure").await;

    // The package.
    assert!(
        seen.pack_result.contains("notice package.zip"),
        "the result names the package: {}",
        seen.pack_result
    );
    assert!(zip.is_file(), "the ZIP was written where the dialog said");
    let report = package::verify(&zip).expect("the package can be read");
    assert!(
        report.valid,
        "the core's verifier finds the UI's package valid: {report:?}"
    );
    assert!(
        seen.blockers
            .contains("Passport copy attested by a Kazakh embassy"),
        "the blockers are named: {}",
        seen.blockers
    );
    assert!(
        !seen.start_enabled_with_blockers,
        "a stage with blockers is not packed unless the user asks for an incomplete package"
    );

    // The timeline and the deadlines.
    assert!(seen.egov_event, "the eGov submission is on the timeline");
    assert!(
        seen.refusal.contains("Arrived in Kazakhstan") && seen.refusal.contains("Permit approved"),
        "an impossible event is refused with both events named: {}",
        seen.refusal
    );
    let entry_day = approved.checked_add_days(Days::new(30)).expect("a date");
    assert_eq!(
        seen.entry_date,
        entry_day.to_string(),
        "the last day to enter is 30 days after the approval"
    );
    assert_eq!(seen.entry_state, "upcoming", "25 days ahead is upcoming");
    assert_eq!(
        seen.decision_state, "done",
        "the approval settles the expected decision"
    );

    assert!(
        seen.corrected_note.contains("Application 4711, receipt 12"),
        "the corrected note shows: {}",
        seen.corrected_note
    );
    assert_eq!(
        seen.entry_after_arrival, "done",
        "arriving settles the entry window"
    );
    assert_eq!(
        seen.entry_after_removal, "upcoming",
        "removing the arrival reopens it"
    );
    for change in ["Recorded", "Corrected", "Removed"] {
        assert!(
            seen.history.contains(change),
            "the history keeps every change ({change}): {}",
            seen.history
        );
    }

    // The calendar.
    assert!(seen.exported, "the UI says the calendar was saved");
    let text = fs::read_to_string(&calendar).expect("the calendar file");
    let parsed = ical::IcalParser::new(BufReader::new(text.as_bytes()))
        .next()
        .expect("a calendar")
        .expect("valid iCalendar");
    let starts: Vec<String> = parsed
        .events
        .iter()
        .filter_map(|e| e.properties.iter().find(|p| p.name == "DTSTART"))
        .filter_map(|p| p.value.clone())
        .collect();
    assert!(
        starts.contains(&entry_day.format("%Y%m%d").to_string()),
        "the calendar has the entry window's last day: {starts:?}"
    );

    // Verifying.
    assert_eq!(seen.valid_verdict, "true", "the fresh package verifies");
    assert_eq!(seen.tampered_verdict, "false", "the tampered one does not");
    assert!(
        seen.tampered_text.contains("Altered (1)")
            && seen.tampered_text.contains("01-ministry-notice.pdf"),
        "the altered document is listed: {}",
        seen.tampered_text
    );
    assert!(
        seen.russian_title.contains("Что дальше"),
        "the panel follows the language switch: {}",
        seen.russian_title
    );
}
