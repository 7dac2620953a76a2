//! End-to-end: the applicant's profile in the app window, driven over
//! WebDriver (see `tests/common/mod.rs`).
//!
//! A permanent-residence dossier is seeded through `qujat_core` with a
//! police clearance attached and its day of issue entered (20 days ago).
//! With no profile the card shows no advice. The profile editor on the
//! dossier header takes a citizenship from the searchable list (typed in
//! English, picked with the mouse): as a German citizen the clearance needs
//! an apostille. Adding Russia (typed in Russian) gives a second
//! police-clearance row, labelled with its country, where no legalization is
//! needed (Minsk convention); removing Germany leaves the Russian citizen's
//! one row, with no apostille asked. The clearance's "usable until" (issue
//! day + 180) is in the deadlines. The German citizen hears nothing about
//! the exit consent; the Russian one is told that the Russian consulate
//! says it issues none. The recorded visa-free entry (20 days ago) gives
//! the stay's last safe day with the days used and left. Screenshots in
//! English, Russian and Kazakh go to the artifacts folder.
//!
//! One test function: every binary here talks to the same driver port.

mod common;

use std::fs;
use std::path::Path;
use std::time::Duration;

use chrono::{Days, Local, NaiveDate, Utc};
use common::until;
use common::{by_id, one_page_pdf, open_app, shot, shot_of, TauriDriver};
use qujat_core::model::DocumentDates;
use qujat_core::Workspace;
use thirtyfour::prelude::*;

fn seed(home: &Path, data_dir: &Path, issued: NaiveDate) -> String {
    let clearance = home.join("Fuehrungszeugnis.pdf");
    fs::write(&clearance, one_page_pdf("Fuehrungszeugnis. Anna Weber.")).expect("fixture");
    let now = Utc::now();
    let mut ws = Workspace::open(data_dir).expect("the data folder");
    let dossier = ws
        .create_dossier("kz-in-demand", "Anna Weber", now)
        .expect("a dossier");
    ws.attach(&dossier.id, "police-clearance", &clearance, now)
        .expect("the clearance attaches");
    ws.set_document_dates(
        &dossier.id,
        "police-clearance",
        DocumentDates {
            issued_on: Some(issued),
            expires_on: None,
        },
        Local::now().date_naive(),
        now,
    )
    .expect("the day of issue");
    // Entered without a visa: the stay's last safe day is a deadline too.
    let today = Local::now().date_naive();
    ws.record_event(&dossier.id, "entered-visa-free", issued, None, today, now)
        .expect("the entry");
    dossier.id
}

/// The text of every finding shown for a checklist row, in order.
async fn findings(driver: &WebDriver, row: &str) -> WebDriverResult<Vec<String>> {
    // The card re-renders when the checklist is refreshed (after a profile
    // change, a language switch); an item found before may be gone when
    // read, so read the whole list again.
    let mut attempts = 0;
    loop {
        let read = async {
            let items = driver
                .find_all(By::Css(format!("[data-testid^='finding-{row}-']")))
                .await?;
            let mut out = Vec::new();
            for item in items {
                out.push(item.text().await?);
            }
            Ok::<_, WebDriverError>(out)
        };
        match read.await {
            Err(e) if attempts < 20 && format!("{e:?}").contains("StaleElementReference") => {
                attempts += 1;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            other => return other,
        }
    }
}

/// The police-clearance rows shown in the open stage, by test id.
async fn police_rows(driver: &WebDriver) -> WebDriverResult<Vec<String>> {
    // As in `findings`: a card may be replaced while it is read.
    let mut attempts = 0;
    loop {
        let read = async {
            let cards = driver
                .find_all(By::Css("[data-testid^='requirement-police-clearance']"))
                .await?;
            let mut ids = Vec::new();
            for card in cards {
                ids.push(card.attr("data-testid").await?.unwrap_or_default());
            }
            Ok::<_, WebDriverError>(ids)
        };
        match read.await {
            Err(e) if attempts < 20 && format!("{e:?}").contains("StaleElementReference") => {
                attempts += 1;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            other => return other,
        }
    }
}

/// Types into a country list and picks `code` from what it offers.
async fn pick_country(
    driver: &WebDriver,
    list: &str,
    typed: &str,
    code: &str,
) -> WebDriverResult<()> {
    let input = by_id(driver, list).await?;
    input.send_keys(typed).await?;
    by_id(driver, &format!("{list}-option-{code}"))
        .await?
        .click()
        .await
}

async fn set_language(driver: &WebDriver, lang: &str) -> WebDriverResult<()> {
    let element = by_id(driver, "language-select").await?;
    driver
        .execute(
            "const el = arguments[0];
             el.value = arguments[1];
             el.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![element.to_json()?, serde_json::Value::from(lang)],
        )
        .await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    Ok(())
}

#[derive(Debug, Default)]
struct Seen {
    summary_before: String,
    findings_before: Vec<String>,
    offered_for_germ: bool,
    german: Vec<String>,
    dual_rows: Vec<String>,
    dual_country_label: String,
    dual_russian: Vec<String>,
    russian_rows: Vec<String>,
    russian_only: Vec<String>,
    russian_summary: String,
    russian_in_russian: Vec<String>,
    kazakh: Vec<String>,
    usable_until: String,
    exit_consent_russian: Vec<String>,
    exit_consent_german: Vec<String>,
    stay: String,
    last_safe_day: String,
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs an X display, tauri-driver and xdotool: run scripts/test.sh"]
async fn the_checklist_fits_the_applicants_citizenships() {
    let home = tempfile::tempdir().expect("temp dir");
    let data_dir = home.path().join("data");
    let issued = Local::now()
        .date_naive()
        .checked_sub_days(Days::new(20))
        .expect("a date");
    seed(home.path(), &data_dir, issued);

    let _driver_process = TauriDriver::start(&data_dir);
    let driver = open_app().await.expect("session with the app");
    let mut seen = Seen::default();
    let run: WebDriverResult<()> = async {
        by_id(&driver, "dossier-item").await?.click().await?;
        by_id(&driver, "stage-tab-application")
            .await?
            .click()
            .await?;
        seen.summary_before = by_id(&driver, "profile-summary").await?.text().await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        seen.findings_before = findings(&driver, "police-clearance").await?;

        // A German citizen: typed in English, picked from the list.
        by_id(&driver, "profile-edit").await?.click().await?;
        by_id(&driver, "citizenship-search")
            .await?
            .send_keys("Germ")
            .await?;
        seen.offered_for_germ = !driver
            .find_all(By::Css("[data-testid='citizenship-search-option-DE']"))
            .await?
            .is_empty();
        shot_of(&driver, "profile", "60-profile-editor-search").await?;
        by_id(&driver, "citizenship-search-option-DE")
            .await?
            .click()
            .await?;
        by_id(&driver, "profile-save").await?.click().await?;
        until(|| async {
            Ok(findings(&driver, "police-clearance")
                .await?
                .iter()
                .any(|f| f.contains("Issued in Germany")))
        })
        .await?;
        seen.german = findings(&driver, "police-clearance").await?;
        seen.exit_consent_german = findings(&driver, "exit-consent").await?;
        shot_of(
            &driver,
            "requirement-police-clearance",
            "61-profile-german-apostille",
        )
        .await?;

        // And Russian too, typed in Russian: two rows.
        by_id(&driver, "profile-edit").await?.click().await?;
        pick_country(&driver, "citizenship-search", "Росс", "RU").await?;
        pick_country(&driver, "residence-search", "Kazakh", "KZ").await?;
        shot_of(&driver, "profile", "62-profile-editor-dual").await?;
        by_id(&driver, "profile-save").await?.click().await?;
        until(|| async { Ok(police_rows(&driver).await?.len() == 2) }).await?;
        seen.dual_rows = police_rows(&driver).await?;
        seen.dual_country_label = by_id(&driver, "country-police-clearance@ru")
            .await?
            .text()
            .await?;
        seen.dual_russian = findings(&driver, "police-clearance@ru").await?;
        shot(&driver, "63-profile-dual-citizen").await?;
        shot_of(
            &driver,
            "requirement-police-clearance@ru",
            "64-profile-dual-russian-row",
        )
        .await?;

        // Only Russian: one row, no legalization.
        by_id(&driver, "profile-edit").await?.click().await?;
        by_id(&driver, "citizenship-remove-DE")
            .await?
            .click()
            .await?;
        by_id(&driver, "profile-save").await?.click().await?;
        until(|| async { Ok(police_rows(&driver).await?.len() == 1) }).await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        seen.russian_rows = police_rows(&driver).await?;
        seen.russian_only = findings(&driver, "police-clearance").await?;
        seen.exit_consent_russian = findings(&driver, "exit-consent").await?;
        seen.russian_summary = by_id(&driver, "profile-summary").await?.text().await?;

        set_language(&driver, "ru").await?;
        seen.russian_in_russian = findings(&driver, "police-clearance").await?;
        shot(&driver, "65-ru-profile-russian-citizen").await?;
        shot_of(
            &driver,
            "requirement-police-clearance",
            "66-ru-profile-no-legalization",
        )
        .await?;
        set_language(&driver, "kk").await?;
        seen.kazakh = findings(&driver, "police-clearance").await?;
        shot(&driver, "67-kk-profile-russian-citizen").await?;
        by_id(&driver, "profile-edit").await?.click().await?;
        by_id(&driver, "citizenship-search")
            .await?
            .send_keys("Герм")
            .await?;
        shot_of(&driver, "profile", "68-kk-profile-editor").await?;
        set_language(&driver, "en").await?;

        let deadline = by_id(&driver, "deadline-date-police-clearance.usable-until").await?;
        deadline.scroll_into_view().await?;
        seen.usable_until = deadline.attr("data-date").await?.unwrap_or_default();
        let stay = by_id(&driver, "stay-visa-free-stay.90-in-180").await?;
        stay.scroll_into_view().await?;
        seen.stay = stay.text().await?;
        seen.last_safe_day = by_id(&driver, "deadline-date-visa-free-stay.90-in-180")
            .await?
            .attr("data-date")
            .await?
            .unwrap_or_default();
        shot_of(&driver, "deadlines-panel", "70-profile-visa-free-stay").await?;
        shot_of(
            &driver,
            "deadlines-panel",
            "69-profile-deadline-usable-until",
        )
        .await?;
        Ok(())
    }
    .await;
    let _ = driver.quit().await;
    run.expect("the profile scenario in the window");

    assert!(
        seen.summary_before.contains("No profile recorded"),
        "{}",
        seen.summary_before
    );
    // Without a profile nothing is said about the clearance's country (the
    // scan's own "no apostille seen" information is not profile advice).
    assert!(
        seen.findings_before
            .iter()
            .all(|f| !f.contains("Issued in") && !f.contains("needs an apostille")),
        "{:?}",
        seen.findings_before
    );
    assert!(seen.offered_for_germ);
    assert!(
        seen.german
            .iter()
            .any(|f| f.contains("Issued in Germany: it needs an apostille")),
        "{:?}",
        seen.german
    );
    assert_eq!(
        seen.dual_rows,
        [
            "requirement-police-clearance",
            "requirement-police-clearance@ru"
        ]
    );
    assert!(
        seen.dual_country_label.contains("Russian Federation"),
        "{}",
        seen.dual_country_label
    );
    assert!(
        seen.dual_russian
            .iter()
            .any(|f| f.contains("no apostille or legalization is needed") && f.contains("Minsk")),
        "{:?}",
        seen.dual_russian
    );
    assert_eq!(seen.russian_rows, ["requirement-police-clearance"]);
    assert!(
        seen.russian_only
            .iter()
            .all(|f| !f.contains("needs an apostille"))
            && seen
                .russian_only
                .iter()
                .any(|f| f.contains("no apostille or legalization")),
        "{:?}",
        seen.russian_only
    );
    assert!(
        seen.russian_summary.contains("Russian Federation")
            && seen.russian_summary.contains("Kazakhstan"),
        "{}",
        seen.russian_summary
    );
    assert!(
        seen.russian_in_russian
            .iter()
            .any(|f| f.contains("ни апостиль, ни легализация не нужны")),
        "{:?}",
        seen.russian_in_russian
    );
    assert!(
        seen.kazakh
            .iter()
            .any(|f| f.contains("апостиль де, заңдастыру да қажет емес")),
        "{:?}",
        seen.kazakh
    );
    assert_eq!(
        seen.usable_until,
        issued
            .checked_add_days(Days::new(180))
            .expect("date")
            .to_string(),
        "issue day + 180 days"
    );
    // Exit consent: only the Russian citizen hears what the consulate said.
    assert!(
        seen.exit_consent_russian
            .iter()
            .any(|f| f.contains("As a citizen of Russian Federation")
                && f.contains("issues no such document")),
        "{:?}",
        seen.exit_consent_russian
    );
    assert!(
        seen.exit_consent_german
            .iter()
            .all(|f| !f.contains("As a citizen of")),
        "{:?}",
        seen.exit_consent_german
    );
    // The visa-free stay, entered 20 days ago (Kazakhstan's day may differ
    // from the local one by one): the entry day is day 1 of 90.
    assert_eq!(
        seen.last_safe_day,
        issued
            .checked_add_days(Days::new(89))
            .expect("date")
            .to_string()
    );
    let used: Vec<u32> = seen
        .stay
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    assert!(
        matches!(used.as_slice(), [u, 90, l] if u + l == 90 && (20..=22).contains(u)),
        "{}",
        seen.stay
    );
}
