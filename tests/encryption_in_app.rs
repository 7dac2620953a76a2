//! End-to-end: encryption at rest in the real window, on a computer without
//! a keychain. The app is started with an unreachable D-Bus session, so the
//! Secret Service cannot be reached: the first run asks the user to choose a
//! passphrase, with the explanation; the next run asks for it, refuses a
//! wrong one with the message, and opens the dossier with the right one. On
//! disk, the vault object holds none of the file's bytes and the store not
//! the applicant's name. In Settings the user changes the passphrase; the
//! next run refuses the old one and opens with the new one.
//!
//! Needs the e2e environment (X display, tauri-driver, xdotool): run by
//! `scripts/test.sh` with `--include-ignored`. Screenshots go to
//! `tests/artifacts/encryption-*.png`.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{
    answer_file_dialog, by_id, click_id, one_page_pdf, open_app, shot, shot_of, wait_for_status,
    TauriDriver,
};
use thirtyfour::prelude::*;

const NAME: &str = "Saule Encryptedova";
const PASSPHRASE: &str = "a calm river at dawn";
/// The passphrase chosen in Settings on the second run.
const NEW_PASSPHRASE: &str = "seven quiet steppe horses";
/// The text of `test_id` once it is not empty (or after 20 s).
async fn wait_for_text(driver: &WebDriver, test_id: &str) -> WebDriverResult<String> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let seen = by_id(driver, test_id).await?.text().await?;
        if !seen.trim().is_empty() || Instant::now() > deadline {
            return Ok(seen);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Text only the attached PDF holds.
const MARKER: &str = "Unique marker line 5c1d of the encrypted CV";

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn files_under(dir: &Path) -> Vec<Vec<u8>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            found.push(bytes);
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs an X display, tauri-driver and xdotool: run scripts/test.sh"]
async fn without_a_keychain_the_user_chooses_a_passphrase_and_data_is_encrypted() {
    let home = tempfile::tempdir().expect("temp dir");
    let data_dir = home.path().join("data");
    let cv = home.path().join("Encrypted CV.pdf");
    let pdf = one_page_pdf(MARKER);
    std::fs::write(&cv, &pdf).expect("fixture");

    // No keychain: the app's D-Bus session address leads nowhere.
    let _driver_process = TauriDriver::start_with_env(
        &data_dir,
        &[(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/qujat-e2e",
        )],
    );

    // First run: the programs come first, with no question; the passphrase
    // is chosen when the first dossier is made, which then opens.
    let driver = open_app().await.expect("session with the app");
    let first_run = async {
        if by_id(&driver, "applicant-name").await.is_err() {
            by_id(&driver, "new-dossier").await?.click().await?;
        }
        let programs_first = by_id(&driver, "program-option-kz-ai-pilot").await.is_ok()
            && by_id(&driver, "program-option-kz-in-demand").await.is_ok();
        shot(&driver, "encryption-00-programs-first").await?;
        by_id(&driver, "program-option-kz-ai-pilot")
            .await?
            .click()
            .await?;
        by_id(&driver, "applicant-name")
            .await?
            .send_keys(NAME)
            .await?;
        by_id(&driver, "create-dossier").await?.click().await?;
        // The pilot is closed: starting a dossier on it is confirmed.
        by_id(&driver, "confirm-closed-program")
            .await?
            .click()
            .await?;
        let title = by_id(&driver, "unlock-view").await?.text().await?;
        // Let WebKit paint the screen it just rendered before the shot.
        tokio::time::sleep(Duration::from_millis(500)).await;
        shot(&driver, "encryption-01-choose").await?;
        by_id(&driver, "unlock-passphrase")
            .await?
            .send_keys(PASSPHRASE)
            .await?;
        by_id(&driver, "unlock-again")
            .await?
            .send_keys(PASSPHRASE)
            .await?;
        by_id(&driver, "unlock-submit").await?.click().await?;
        let created = by_id(&driver, "dossier-title").await?.text().await?;
        click_id(&driver, "stage-tab-astana-hub").await?;
        wait_for_status(&driver, "cv", "missing").await?;
        by_id(&driver, "attach-cv").await?.click().await?;
        let cv = cv.clone();
        tokio::task::spawn_blocking(move || answer_file_dialog(&cv))
            .await
            .expect("dialog driver");
        let status = wait_for_status(&driver, "cv", "ok").await?;
        shot(&driver, "encryption-02-attached").await?;
        WebDriverResult::Ok((programs_first, title, created, status))
    }
    .await;
    driver.quit().await.expect("close the app");
    let (programs_first, title, created, status) = first_run.expect("first run");
    assert!(
        programs_first,
        "the programs are shown before any passphrase question"
    );
    assert!(
        created.contains(NAME),
        "the dossier asked for before the passphrase was made after it: {created}"
    );
    assert!(
        title.contains("Choose a passphrase") && title.contains("keychain"),
        "the first run explains why a passphrase is needed: {title}"
    );
    assert!(
        title.contains("recover"),
        "and that it cannot be recovered: {title}"
    );
    assert_eq!(status, "ok", "the CV is attached and inspected");

    // On disk: a passphrase record, no plaintext anywhere.
    let record = std::fs::read_to_string(data_dir.join("key.json")).expect("key.json");
    assert!(record.contains("\"passphrase\""), "{record}");
    assert!(!record.contains(PASSPHRASE), "the passphrase is not stored");
    let objects = files_under(&data_dir.join("vault/objects"));
    assert_eq!(objects.len(), 1, "one vault object");
    assert!(objects[0].starts_with(b"age-encryption.org/v1\n"));
    assert!(!contains(&objects[0], MARKER.as_bytes()));
    assert!(
        !contains(&objects[0], &pdf[..64]),
        "none of the file's bytes"
    );

    // Second run: a wrong passphrase is refused, the right one opens.
    let driver = open_app().await.expect("second session");
    let second_run = async {
        let title = by_id(&driver, "unlock-view").await?.text().await?;
        by_id(&driver, "unlock-passphrase")
            .await?
            .send_keys("not the passphrase")
            .await?;
        by_id(&driver, "unlock-submit").await?.click().await?;
        let refusal = by_id(&driver, "unlock-error").await?.text().await?;
        shot(&driver, "encryption-03-wrong").await?;
        let field = by_id(&driver, "unlock-passphrase").await?;
        field.clear().await?;
        field.send_keys(PASSPHRASE).await?;
        by_id(&driver, "unlock-submit").await?.click().await?;
        let items = driver
            .find_all(By::Css("[data-testid='dossier-item']"))
            .await?;
        let listed = match items.first() {
            Some(item) => item.text().await?,
            None => String::new(),
        };
        if let Some(item) = items.first() {
            item.click().await?;
        }
        click_id(&driver, "stage-tab-astana-hub").await?;
        let status = wait_for_status(&driver, "cv", "ok").await?;
        let card = by_id(&driver, "requirement-cv").await?.text().await?;
        shot(&driver, "encryption-04-unlocked").await?;

        // Settings: the key is under a passphrase; change it there.
        click_id(&driver, "settings-open").await?;
        let now = by_id(&driver, "protect-now").await?;
        let protector = now.attr("data-protector").await?.unwrap_or_default();
        let said = now.text().await?;
        shot_of(&driver, "settings-protection", "encryption-05-settings").await?;
        click_id(&driver, "protect-change").await?;
        let warning = by_id(&driver, "protect-form").await?.text().await?;
        by_id(&driver, "protect-passphrase")
            .await?
            .send_keys(NEW_PASSPHRASE)
            .await?;
        by_id(&driver, "protect-again")
            .await?
            .send_keys(NEW_PASSPHRASE)
            .await?;
        shot_of(&driver, "settings-protection", "encryption-05-change-form").await?;
        click_id(&driver, "protect-save").await?;
        let changed = wait_for_text(&driver, "protect-result").await?;
        shot_of(&driver, "settings-protection", "encryption-05-changed").await?;
        WebDriverResult::Ok((
            title,
            refusal,
            listed,
            status,
            card,
            (protector, said, warning, changed),
        ))
    }
    .await;
    driver.quit().await.expect("close the app");
    let (title, refusal, listed, status, card, settings) = second_run.expect("second run");
    let (protector, said, warning, changed) = settings;
    assert!(title.contains("Enter your passphrase"), "{title}");
    assert!(
        refusal.contains("does not unlock"),
        "a wrong passphrase is refused with the message: {refusal}"
    );
    assert!(listed.contains(NAME), "the dossier is back: {listed}");
    assert_eq!(status, "ok");
    assert!(card.contains("Encrypted CV.pdf"), "{card}");
    assert_eq!(protector, "passphrase", "Settings says where the key is");
    assert!(said.contains("passphrase"), "{said}");
    assert!(warning.contains("recover"), "the form warns: {warning}");
    assert!(changed.contains("passphrase is changed"), "{changed}");
    let record = std::fs::read_to_string(data_dir.join("key.json")).expect("key.json");
    assert!(record.contains("\"passphrase\""), "{record}");
    assert!(
        !record.contains(NEW_PASSPHRASE),
        "the passphrase is not stored"
    );

    // Third run: the old passphrase is refused, the new one opens.
    let driver = open_app().await.expect("third session");
    let third_run = async {
        by_id(&driver, "unlock-passphrase")
            .await?
            .send_keys(PASSPHRASE)
            .await?;
        by_id(&driver, "unlock-submit").await?.click().await?;
        let refusal = by_id(&driver, "unlock-error").await?.text().await?;
        let field = by_id(&driver, "unlock-passphrase").await?;
        field.clear().await?;
        field.send_keys(NEW_PASSPHRASE).await?;
        by_id(&driver, "unlock-submit").await?.click().await?;
        let items = driver
            .find_all(By::Css("[data-testid='dossier-item']"))
            .await?;
        let listed = match items.first() {
            Some(item) => item.text().await?,
            None => String::new(),
        };
        shot(&driver, "encryption-05-new-passphrase-opens").await?;
        WebDriverResult::Ok((refusal, listed))
    }
    .await;
    driver.quit().await.expect("close the app");
    let (refusal, listed) = third_run.expect("third run");
    assert!(
        refusal.contains("does not unlock"),
        "the old passphrase no longer opens: {refusal}"
    );
    assert!(listed.contains(NAME), "the new one does: {listed}");

    // The store holds neither the name nor the file name in plaintext.
    let mut store = Vec::new();
    for f in ["qujat.sqlite3", "qujat.sqlite3-wal"] {
        store.extend(std::fs::read(data_dir.join(f)).unwrap_or_default());
    }
    assert!(!store.is_empty());
    assert!(!contains(&store, NAME.as_bytes()), "no plaintext name");
    assert!(!contains(&store, b"Encrypted CV"), "no plaintext file name");
}
