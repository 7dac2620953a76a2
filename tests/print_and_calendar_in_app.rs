//! End-to-end: the printed checklist of a dossier and the calendar export,
//! in the real app window.
//!
//! The dossier has its first embassy step confirmed and its CV attached, and
//! no event recorded. "Add to calendar" says there is nothing to add and
//! writes no file. The dossier's printable checklist ticks the two done
//! items with their days, "Save as PDF" says where it saved and the PDF
//! (read back with pdftotext) carries the same ticks; the blank program
//! checklist is one click away and ticks nothing. Screenshots in English,
//! Russian and Kazakh.
//!
//! One test function: every binary here talks to the same driver port.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use chrono::{Days, Local, NaiveDate, Utc};
use common::finish;
use common::set_value;
use common::{
    answer_save_dialog, by_id, click_id, one_page_pdf, open_app, shot, shot_of, TauriDriver,
};
use qujat_core::Workspace;
use thirtyfour::prelude::*;

fn seed(home: &Path, data_dir: &Path, today: NaiveDate) -> NaiveDate {
    let cv = home.join("cv.pdf");
    fs::write(
        &cv,
        one_page_pdf("Aigerim Test. Machine learning engineer."),
    )
    .expect("fixture");
    let confirmed = today.checked_sub_days(Days::new(12)).expect("a day");
    let now = Utc::now();
    let mut ws = Workspace::open(data_dir).expect("the data folder");
    let dossier = ws
        .create_dossier("kz-ai-pilot", "Aigerim Test", now)
        .expect("a dossier");
    ws.confirm_step(&dossier.id, "embassy-request", confirmed, today, now)
        .expect("the step is confirmed");
    ws.attach(&dossier.id, "cv", &cv, now)
        .expect("the CV attaches");
    confirmed
}

async fn count(driver: &WebDriver, css: &str) -> WebDriverResult<usize> {
    Ok(driver.find_all(By::Css(css)).await?.len())
}

#[derive(Debug, Default)]
struct Seen {
    nothing: String,
    done_items: usize,
    step_note: String,
    cv_note: String,
    heading: String,
    saved: String,
    blank_done_items: usize,
    blank_items: usize,
    russian_note: String,
    kazakh_note: String,
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs an X display, tauri-driver and xdotool: run scripts/test.sh"]
async fn a_dossiers_checklist_ticks_what_is_done_and_an_empty_calendar_is_not_written() {
    let home = tempfile::tempdir().expect("temp dir");
    let data_dir = home.path().join("data");
    let today = Local::now().date_naive();
    let confirmed = seed(home.path(), &data_dir, today);
    let pdf: PathBuf = home.path().join("out").join("checklist.pdf");
    fs::create_dir_all(pdf.parent().expect("parent")).expect("out folder");

    let _driver_process = TauriDriver::start(&data_dir);
    let driver = open_app().await.expect("session with the app");
    let run = async {
        let mut seen = Seen::default();
        by_id(&driver, "dossier-item").await?.click().await?;
        by_id(&driver, "deadlines-panel").await?;

        // No event recorded, so no deadline has a day: nothing to export.
        click_id(&driver, "export-ics").await?;
        seen.nothing = by_id(&driver, "export-nothing").await?.text().await?;
        shot_of(&driver, "deadlines-panel", "h3-30-calendar-nothing-to-add").await?;

        // The dossier's checklist.
        click_id(&driver, "print-checklist").await?;
        by_id(&driver, "print-view").await?;
        seen.done_items = count(&driver, "[data-testid='print-item'][data-done='true']").await?;
        seen.step_note = by_id(&driver, "print-done-embassy-request")
            .await?
            .text()
            .await?;
        seen.cv_note = by_id(&driver, "print-done-cv").await?.text().await?;
        seen.heading = by_id(&driver, "print-dossier").await?.text().await?;
        shot(&driver, "h3-31-print-dossier-ticked").await?;

        // Save as PDF says where.
        click_id(&driver, "save-checklist-pdf").await?;
        let path = pdf.clone();
        tokio::task::spawn_blocking(move || answer_save_dialog(&path))
            .await
            .expect("dialog driver");
        seen.saved = by_id(&driver, "print-saved").await?.text().await?;
        shot(&driver, "h3-32-print-saved").await?;

        // Russian and Kazakh.
        set_value(&driver, "language-select", "ru").await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        seen.russian_note = by_id(&driver, "print-done-embassy-request")
            .await?
            .text()
            .await?;
        shot(&driver, "h3-33-ru-print-dossier-ticked").await?;
        set_value(&driver, "language-select", "kk").await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        seen.kazakh_note = by_id(&driver, "print-done-embassy-request")
            .await?
            .text()
            .await?;
        shot(&driver, "h3-34-kk-print-dossier-ticked").await?;
        set_value(&driver, "language-select", "en").await?;
        tokio::time::sleep(Duration::from_millis(500)).await;

        // The blank program checklist is still there.
        click_id(&driver, "print-blank").await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        seen.blank_items = count(&driver, "[data-testid='print-item']").await?;
        seen.blank_done_items =
            count(&driver, "[data-testid='print-item'][data-done='true']").await?;
        shot(&driver, "h3-35-print-blank").await?;
        click_id(&driver, "print-close").await?;
        WebDriverResult::Ok(seen)
    }
    .await;
    let seen = finish(driver, run, "h3-39-failure").await;

    assert!(
        seen.nothing.contains("nothing to add") && seen.nothing.contains("No file was written"),
        "the calendar export says there is nothing to add: {}",
        seen.nothing
    );
    let calendars = fs::read_dir(home.path().join("out"))
        .expect("out folder")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "ics"))
        .count();
    assert_eq!(calendars, 0, "no empty calendar file was written");

    assert_eq!(
        seen.done_items, 2,
        "the confirmed step and the CV are ticked: {seen:?}"
    );
    let day = |d: NaiveDate| d.format("%-d %b %Y").to_string();
    assert!(
        seen.step_note.contains("Done on") && seen.step_note.contains(&day(confirmed)),
        "the step's day is printed: {}",
        seen.step_note
    );
    assert!(
        seen.cv_note.contains("Ready: cv.pdf"),
        "the file is named: {}",
        seen.cv_note
    );
    assert!(seen.heading.contains("Aigerim Test"), "{}", seen.heading);
    assert!(
        seen.saved.contains(&pdf.display().to_string()),
        "Save as PDF says where: {}",
        seen.saved
    );
    assert!(
        seen.russian_note.contains("Сделано"),
        "{}",
        seen.russian_note
    );
    assert!(
        seen.kazakh_note.contains("Орындалды"),
        "{}",
        seen.kazakh_note
    );
    assert!(
        seen.blank_items > 20,
        "the blank checklist lists everything"
    );
    assert_eq!(seen.blank_done_items, 0, "and ticks nothing");

    // The saved PDF carries the same ticks.
    // Kept with the screenshots, to be looked at (pdftoppm).
    let _ = fs::copy(&pdf, common::artifacts().join("h3-36-checklist-ticked.pdf"));
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    assert!(
        text.contains(&format!("Done on {confirmed}"))
            && text.contains("Ready: cv.pdf")
            && text.contains("Progress of Aigerim Test"),
        "the PDF is ticked too: {text}"
    );
}
