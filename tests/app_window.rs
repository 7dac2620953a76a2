//! End-to-end: the real app window, driven over WebDriver.
//!
//! `tauri-driver` (from crates.io) starts Debian's `WebKitWebDriver`, which
//! launches the debug build of the app in an X display (Xvfb in CI). The
//! native file dialog is a real GTK window; the test answers it the way a
//! user would, by typing a path into it, with `xdotool`.
//!
//! These tests need that environment, so they are `#[ignore]`d in a plain
//! `cargo test`; `scripts/test.sh` (the README's test command, run by CI)
//! sets the environment up and runs them with `--include-ignored`.
//! Screenshots of every screen visited go to `tests/artifacts/`.

mod common;

use common::{
    answer_file_dialog, by_id, click_id, one_page_pdf, open_app, shot, wait_for_status, TauriDriver,
};
use thirtyfour::prelude::*;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs an X display, tauri-driver and xdotool: run scripts/test.sh"]
async fn create_attach_restart_and_find_everything_kept() {
    let home = tempfile::tempdir().expect("temp dir");
    let data_dir = home.path().join("data");
    let cv = home.path().join("Curriculum vitae.pdf");
    // A real one-page PDF: inspection judges the content, not the name.
    std::fs::write(&cv, one_page_pdf("Aigerim Test, machine learning engineer")).expect("fixture");

    let _driver_process = TauriDriver::start(&data_dir);

    // First run: create a dossier, attach the CV through the native dialog.
    let driver = open_app().await.expect("session with the app");
    let first_run = async {
        shot(&driver, "01-start").await?;
        if by_id(&driver, "applicant-name").await.is_err() {
            by_id(&driver, "new-dossier").await?.click().await?;
        }
        by_id(&driver, "program-option-kz-ai-pilot")
            .await?
            .click()
            .await?;
        by_id(&driver, "applicant-name")
            .await?
            .send_keys("Aigerim Test")
            .await?;
        shot(&driver, "02-new-dossier").await?;
        by_id(&driver, "create-dossier").await?.click().await?;
        // The pilot is closed: starting a dossier on it is confirmed.
        by_id(&driver, "confirm-closed-program")
            .await?
            .click()
            .await?;
        let title = by_id(&driver, "dossier-title").await?.text().await?;
        click_id(&driver, "stage-tab-astana-hub").await?;
        let before = wait_for_status(&driver, "cv", "missing").await?;
        shot(&driver, "03-checklist").await?;
        by_id(&driver, "attach-cv").await?.click().await?;
        let cv = cv.clone();
        tokio::task::spawn_blocking(move || answer_file_dialog(&cv))
            .await
            .expect("dialog driver");
        let after = wait_for_status(&driver, "cv", "ok").await?;
        shot(&driver, "04-attached").await?;
        WebDriverResult::Ok((title, before, after))
    }
    .await;
    // Quit before asserting: a panic with an open session hangs thirtyfour.
    driver.quit().await.expect("close the app");
    let (title, before, after) = first_run.expect("first run");
    assert!(
        title.contains("Aigerim Test"),
        "the dossier page names the applicant: {title}"
    );
    assert_eq!(before, "missing", "a new dossier has no CV");
    assert_eq!(after, "ok", "attaching a PDF CV makes the requirement ok");

    // The user deletes the original: Qujat kept its own copy.
    std::fs::remove_file(&cv).expect("delete the original");

    // Second run: the same data folder, everything still there.
    let driver = open_app().await.expect("second session");
    let second_run = async {
        let items = driver
            .find_all(By::Css("[data-testid='dossier-item']"))
            .await?;
        let count = items.len();
        if let Some(item) = items.first() {
            item.click().await?;
        }
        click_id(&driver, "stage-tab-astana-hub").await?;
        let status = wait_for_status(&driver, "cv", "ok").await?;
        let text = by_id(&driver, "requirement-cv").await?.text().await?;
        shot(&driver, "05-after-restart").await?;
        // The About screen, from the header, and back to the same dossier.
        by_id(&driver, "about-open").await?.click().await?;
        let version = by_id(&driver, "about-version").await?.text().await?;
        let shown_dir = by_id(&driver, "about-data-dir").await?.text().await?;
        shot(&driver, "06-about").await?;
        by_id(&driver, "about-close").await?.click().await?;
        by_id(&driver, "requirement-cv").await?;
        WebDriverResult::Ok((count, status, text, version, shown_dir))
    }
    .await;
    driver.quit().await.expect("close the app");
    let (count, status, text, version, shown_dir) = second_run.expect("second run");
    assert_eq!(
        version,
        env!("CARGO_PKG_VERSION"),
        "About shows the version"
    );
    assert_eq!(
        shown_dir,
        data_dir.display().to_string(),
        "About shows the data folder in use"
    );
    assert_eq!(count, 1, "the dossier survives a restart");
    assert_eq!(
        status, "ok",
        "the attached CV survives a restart and the loss of the original"
    );
    assert!(
        text.contains("Curriculum vitae.pdf"),
        "the card names the attached file: {text}"
    );
}
