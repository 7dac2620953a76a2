//! End-to-end: a status that can be trusted, in the real app window.
//!
//! A police clearance issued on 10.01.2025 is attached without a date: its
//! card says "Needs a date" (amber), not "Ready", the stage is not complete,
//! the package lists it as a blocker, and the date found in the document is
//! offered on the card. Accepting that date makes it a problem (too old); a
//! recent date makes it ready. A JPEG renamed to `.pdf` attached as the photo
//! is called a JPEG. Screenshots in English, Russian and Kazakh.
//!
//! One test function: every binary here talks to the same driver port.

mod common;

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{Days, Local, Utc};
use common::finish;
use common::{attr_of, set_value, text_of};
use common::{by_id, click_id, one_page_pdf, open_app, shot, shot_of, TauriDriver};
use qujat_core::Workspace;
use thirtyfour::prelude::*;

/// A JPEG header of `width` × `height`, as a renamed phone photo would start.
fn jpeg(width: u16, height: u16) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    out.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    out.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08]);
    out.extend_from_slice(&height.to_be_bytes());
    out.extend_from_slice(&width.to_be_bytes());
    out.extend_from_slice(&[0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]);
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

fn seed(home: &Path, data_dir: &Path) {
    let clearance = home.join("Police clearance.pdf");
    fs::write(
        &clearance,
        one_page_pdf("Certificate of no criminal record. Aigerim Test. Issued 10.01.2025"),
    )
    .expect("fixture");
    let photo = home.join("photo.pdf");
    fs::write(&photo, jpeg(413, 531)).expect("fixture");
    let now = Utc::now();
    let mut ws = Workspace::open(data_dir).expect("the data folder");
    let dossier = ws
        .create_dossier("kz-ai-pilot", "Aigerim Test", now)
        .expect("a dossier");
    ws.attach(&dossier.id, "police-clearance", &clearance, now)
        .expect("the clearance attaches");
    ws.attach(&dossier.id, "photo", &photo, now)
        .expect("the photo attaches");
}

/// Waits (up to 30 s) until the attribute reads `expected`; returns the last value.
async fn wait_attr(
    driver: &WebDriver,
    test_id: &str,
    attr: &str,
    expected: &str,
) -> WebDriverResult<String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let seen = attr_of(driver, test_id, attr).await?;
        if seen == expected || Instant::now() > deadline {
            return Ok(seen);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[derive(Debug, Default)]
struct Seen {
    undated_status: String,
    undated_card: String,
    stage_state: String,
    blockers: String,
    suggestion: String,
    old_status: String,
    old_card: String,
    fresh_status: String,
    photo_status: String,
    photo_card: String,
    russian_card: String,
    kazakh_card: String,
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs an X display, tauri-driver and xdotool: run scripts/test.sh"]
async fn a_document_is_ready_only_once_its_dates_are_known() {
    let home = tempfile::tempdir().expect("temp dir");
    let data_dir = home.path().join("data");
    seed(home.path(), &data_dir);
    let recent = Local::now()
        .date_naive()
        .checked_sub_days(Days::new(10))
        .expect("a day");

    let _driver_process = TauriDriver::start(&data_dir);
    let driver = open_app().await.expect("session with the app");
    let run = async {
        let mut seen = Seen::default();
        by_id(&driver, "dossier-item").await?.click().await?;
        click_id(&driver, "stage-tab-astana-hub").await?;
        // Inspection runs in the background; the found date arrives with it.
        by_id(&driver, "date-suggestion-police-clearance-0").await?;
        seen.undated_status = wait_attr(
            &driver,
            "requirement-police-clearance",
            "data-status",
            "needs-date",
        )
        .await?;
        seen.undated_card = text_of(&driver, "requirement-police-clearance").await?;
        seen.suggestion = text_of(&driver, "date-suggestion-police-clearance-0").await?;
        seen.stage_state = attr_of(&driver, "stage-tab-astana-hub", "data-state").await?;
        shot_of(
            &driver,
            "requirement-police-clearance",
            "h3-10-clearance-needs-date",
        )
        .await?;
        shot(&driver, "h3-11-stage-needs-date").await?;

        // The package counts it as a blocker.
        click_id(&driver, "pack-open-astana-hub").await?;
        seen.blockers = text_of(&driver, "pack-blocker-police-clearance").await?;
        shot_of(&driver, "pack-panel", "h3-12-pack-blocker-needs-date").await?;
        click_id(&driver, "pack-close").await?;

        // The renamed photo.
        seen.photo_status = wait_attr(&driver, "requirement-photo", "data-status", "ok").await?;
        seen.photo_card = text_of(&driver, "requirement-photo").await?;
        shot_of(&driver, "requirement-photo", "h3-13-photo-renamed-jpeg").await?;

        // The same cards in Russian and Kazakh.
        set_value(&driver, "language-select", "ru").await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        seen.russian_card = text_of(&driver, "requirement-police-clearance").await?;
        shot_of(
            &driver,
            "requirement-police-clearance",
            "h3-14-ru-clearance-needs-date",
        )
        .await?;
        shot_of(&driver, "requirement-photo", "h3-15-ru-photo-renamed-jpeg").await?;
        set_value(&driver, "language-select", "kk").await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        seen.kazakh_card = text_of(&driver, "requirement-police-clearance").await?;
        shot_of(
            &driver,
            "requirement-police-clearance",
            "h3-16-kk-clearance-needs-date",
        )
        .await?;
        shot_of(&driver, "requirement-photo", "h3-17-kk-photo-renamed-jpeg").await?;
        set_value(&driver, "language-select", "en").await?;
        tokio::time::sleep(Duration::from_millis(500)).await;

        // Accept the found date: the certificate is too old.
        click_id(&driver, "date-suggestion-police-clearance-0").await?;
        click_id(&driver, "dates-save-police-clearance").await?;
        seen.old_status = wait_attr(
            &driver,
            "requirement-police-clearance",
            "data-status",
            "problem",
        )
        .await?;
        seen.old_card = text_of(&driver, "requirement-police-clearance").await?;
        shot_of(
            &driver,
            "requirement-police-clearance",
            "h3-18-clearance-too-old",
        )
        .await?;

        // A recent certificate's date: ready.
        let field = by_id(&driver, "dates-issued-police-clearance").await?;
        field.send_keys(Key::Control + "a").await?;
        field
            .send_keys(recent.format("%d.%m.%Y").to_string())
            .await?;
        field.send_keys(Key::Tab).await?;
        click_id(&driver, "dates-save-police-clearance").await?;
        seen.fresh_status =
            wait_attr(&driver, "requirement-police-clearance", "data-status", "ok").await?;
        shot_of(
            &driver,
            "requirement-police-clearance",
            "h3-19-clearance-ready",
        )
        .await?;
        WebDriverResult::Ok(seen)
    }
    .await;
    let seen = finish(driver, run, "h3-19-failure").await;

    assert_eq!(
        seen.undated_status, "needs-date",
        "attached without a date is not ready: {seen:?}"
    );
    assert!(
        seen.undated_card.contains("Needs a date") && !seen.undated_card.contains("Ready"),
        "the chip says so in words: {}",
        seen.undated_card
    );
    assert!(
        seen.suggestion.contains("2025"),
        "the date in the document is offered on the card: {seen:?}"
    );
    assert_eq!(
        seen.stage_state, "undated",
        "the stage is not complete, and shows why: {seen:?}"
    );
    assert!(
        seen.blockers.contains("needs a date"),
        "the package lists it as a blocker: {}",
        seen.blockers
    );
    assert!(
        seen.russian_card.contains("Нужна дата"),
        "{}",
        seen.russian_card
    );
    assert!(
        seen.kazakh_card.contains("Күні керек"),
        "{}",
        seen.kazakh_card
    );
    assert_eq!(seen.old_status, "problem", "a 2025 certificate is too old");
    assert!(
        seen.old_card.contains("days old"),
        "its age is said: {}",
        seen.old_card
    );
    assert_eq!(seen.fresh_status, "ok", "a recent one is ready");
    assert_eq!(seen.photo_status, "ok", "the photo accepts JPEG");
    assert!(
        seen.photo_card.contains("really a JPEG") && seen.photo_card.contains(".jpg"),
        "the renamed photo is called a JPEG: {}",
        seen.photo_card
    );
}
