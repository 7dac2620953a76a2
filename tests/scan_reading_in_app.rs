//! End-to-end: a scanned passport read in the app window (see
//! `tests/common/mod.rs`).
//!
//! The dossier is seeded through `qujat_core` with a two-page scanned PDF
//! as the passport copy: a synthetic passport data page with the ICAO
//! specimen zone in OCR-B, and a page of Russian text, both rendered here by
//! ImageMagick (JPEG, a little noise) and wrapped by img2pdf, so the file has
//! no text layer and only OCR can read it. Opening the dossier reads it in
//! the inspector child: the status line says which page is being read
//! ("reading page 1 of 2"), then "Documents checked". "What Qujat read"
//! then shows each page's text with its confidence and the zone's lines as
//! their own pass read them, in English, Russian and Kazakh (screenshots in
//! `tests/artifacts/`).
//!
//! The zone's expiry lies 100 days ahead (check digits computed here), so
//! the passport card offers "Valid until" read from the zone; one click
//! saves it and the 180-day rule then judges it too short, with nothing
//! typed. A CV scanned in Cyrillic ("Анна Мария Эрикссон") raises no name
//! warning for "Anna Maria Eriksson".

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{Days, Local, NaiveDate, Utc};
use common::finish;
use common::{by_id, click_id, open_app, shot, shot_of, wait_for_status, TauriDriver};
use qujat_core::Workspace;
use thirtyfour::prelude::*;

#[path = "fixtures/scans.rs"]
mod scans;
use scans::{img2pdf, passport_page, text_page, SPECIMEN_ZONE};

/// ICAO 9303's check digit: weights 7, 3, 1 over digits, letters (A = 10)
/// and fillers (0). Written here again, not taken from the core, so the
/// test does not check the parser against itself.
fn check_digit(field: &str) -> char {
    let sum: u32 = field
        .chars()
        .zip([7, 3, 1].iter().cycle())
        .map(|(c, w)| {
            let v = match c {
                '0'..='9' => c as u32 - '0' as u32,
                'A'..='Z' => c as u32 - 'A' as u32 + 10,
                _ => 0,
            };
            v * w
        })
        .sum();
    char::from_digit(sum % 10, 10).expect("a digit")
}

/// The second line of the ICAO specimen's zone, expiring on `expiry`
/// instead of 2012, with every check digit recomputed.
fn zone_line_expiring(expiry: NaiveDate) -> String {
    let number = "L898902C3";
    let birth = "740812";
    let expires = expiry.format("%y%m%d").to_string();
    let optional = "ZE184226B<<<<<";
    let (n, b, e, o) = (
        check_digit(number),
        check_digit(birth),
        check_digit(&expires),
        check_digit(optional),
    );
    let composite = check_digit(&format!("{number}{n}{birth}{b}{expires}{e}{optional}{o}"));
    format!("{number}{n}UTO{birth}{b}F{expires}{e}{optional}{o}{composite}")
}

#[test]
fn the_zone_line_matches_the_icao_specimen() {
    let specimen = NaiveDate::from_ymd_opt(2012, 4, 15).expect("day");
    assert_eq!(
        zone_line_expiring(specimen),
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
    );
}

/// A scanned CV written in Russian: the applicant's name in Cyrillic only.
fn scanned_cyrillic_cv(home: &Path) -> std::path::PathBuf {
    let page = text_page(
        home,
        "cv.jpg",
        "РЕЗЮМЕ\nАнна Мария Эрикссон\nИнженер-программист, машинное обучение\nОпыт работы: восемь лет, Python и Rust",
        300,
        &["-quality", "85"],
    );
    img2pdf(&[&page], &home.join("Резюме.pdf"))
}

/// The scanned passport copy: the data page, then a page of Russian text.
fn scanned_passport(home: &Path, expiry: NaiveDate) -> std::path::PathBuf {
    let zone = zone_line_expiring(expiry);
    let page1 = passport_page(
        home,
        "p1.jpg",
        &[
            "PASSPORT   Type P   Code UTO   Passport No. L898902C3",
            "Surname: ERIKSSON",
            "Given names: ANNA MARIA",
        ],
        [SPECIMEN_ZONE[0], &zone],
        &["-attenuate", "0.3", "+noise", "Gaussian", "-quality", "80"],
    );
    let page2 = text_page(
        home,
        "p2.jpg",
        "ОТМЕТКИ О РЕГИСТРАЦИИ\nАнна Мария Эрикссон\nЗарегистрирована 14.03.2025, город Астана",
        300,
        &["-quality", "80"],
    );
    img2pdf(&[&page1, &page2], &home.join("Passport scan.pdf"))
}

/// The visible text of every element matching `css`, read in one step in
/// the page (elements re-rendered meanwhile cannot go stale).
async fn texts(driver: &WebDriver, css: &str) -> WebDriverResult<Vec<String>> {
    let value = driver
        .execute(
            "return Array.from(document.querySelectorAll(arguments[0])).map((e) => e.innerText);",
            vec![serde_json::Value::from(css)],
        )
        .await?;
    Ok(value
        .json()
        .as_array()
        .map(|all| {
            all.iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

/// The visible text of the first element matching `css`, once there is one.
async fn first(driver: &WebDriver, css: &str) -> WebDriverResult<String> {
    driver.find(By::Css(css)).await?;
    Ok(texts(driver, css)
        .await?
        .into_iter()
        .next()
        .unwrap_or_default())
}

async fn set_language(driver: &WebDriver, lang: &str) -> WebDriverResult<()> {
    let select = by_id(driver, "language-select").await?;
    driver
        .execute(
            "const el = arguments[0]; el.value = arguments[1];
             el.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![select.to_json()?, serde_json::Value::from(lang)],
        )
        .await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    Ok(())
}

#[derive(Debug, Default)]
struct Seen {
    page_steps: Vec<String>,
    done: bool,
    dialog_title: String,
    pages: Vec<String>,
    zone: String,
    mrz: String,
    russian_title: String,
    kazakh_page: String,
    offer: String,
    offers: Vec<String>,
    status_before: String,
    saved_expiry: String,
    status_after: String,
    findings_after: Vec<String>,
    offer_after: usize,
    cv_findings: Vec<String>,
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs an X display, tauri-driver and the OCR packages: run scripts/test.sh"]
async fn a_scanned_passport_is_read_with_page_progress_and_shown_as_read() {
    let home = tempfile::tempdir().expect("temp dir");
    let data_dir = home.path().join("data");
    let expiry = Local::now()
        .date_naive()
        .checked_add_days(Days::new(100))
        .expect("a day");
    let scan = scanned_passport(home.path(), expiry);
    let cv = scanned_cyrillic_cv(home.path());
    let now = Utc::now();
    {
        let mut ws = Workspace::open(&data_dir).expect("the data folder");
        let dossier = ws
            .create_dossier("kz-ai-pilot", "Anna Maria Eriksson", now)
            .expect("a dossier");
        ws.attach(&dossier.id, "passport-copy", &scan, now)
            .expect("the scan attaches");
        ws.attach(&dossier.id, "cv", &cv, now)
            .expect("the CV attaches");
    }

    let _driver_process = TauriDriver::start(&data_dir);
    let driver = open_app().await.expect("session with the app");
    let mut seen = Seen::default();
    let run: WebDriverResult<()> = async {
        by_id(&driver, "dossier-item").await?.click().await?;
        // Watch the status line while the scan is read: each page is named.
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            let state = by_id(&driver, "inspect-status")
                .await?
                .attr("data-state")
                .await?
                .unwrap_or_default();
            for step in texts(&driver, "[data-testid='inspect-page']").await? {
                if !seen.page_steps.contains(&step) {
                    seen.page_steps.push(step);
                    shot(&driver, "60-scan-reading-page").await?;
                }
            }
            if state == "done" {
                seen.done = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        by_id(&driver, "stage-tab-astana-hub")
            .await?
            .click()
            .await?;

        // "Valid until" offered from the zone; nothing typed yet, so the
        // card needs a date. One click saves it and the rule judges it.
        seen.offer = first(&driver, "[data-testid='mrz-offer-passport-copy']").await?;
        seen.status_before = wait_for_status(&driver, "passport-copy", "needs-date").await?;
        shot_of(
            &driver,
            "requirement-passport-copy",
            "64-scan-valid-until-offered",
        )
        .await?;
        // The offer in Russian and Kazakh too.
        for lang in ["ru", "kk"] {
            set_language(&driver, lang).await?;
            seen.offers
                .push(first(&driver, "[data-testid='mrz-offer-passport-copy']").await?);
            shot_of(
                &driver,
                "requirement-passport-copy",
                &format!("64-{lang}-scan-valid-until-offered"),
            )
            .await?;
        }
        set_language(&driver, "en").await?;
        click_id(&driver, "mrz-use-passport-copy").await?;
        seen.status_after = wait_for_status(&driver, "passport-copy", "problem").await?;
        seen.saved_expiry = by_id(&driver, "dates-expires-passport-copy")
            .await?
            .prop("value")
            .await?
            .unwrap_or_default();
        seen.findings_after = texts(&driver, "[data-testid^='finding-passport-copy-']").await?;
        seen.offer_after = driver
            .find_all(By::Css("[data-testid='mrz-offer-passport-copy']"))
            .await?
            .len();
        shot_of(
            &driver,
            "requirement-passport-copy",
            "65-scan-valid-until-judged",
        )
        .await?;
        seen.cv_findings = texts(&driver, "[data-testid^='finding-cv-']").await?;

        by_id(&driver, "reading-passport-copy")
            .await?
            .click()
            .await?;
        by_id(&driver, "reading-page-2").await?;
        seen.dialog_title = first(&driver, "[data-testid='reading-dialog'] h2").await?;
        seen.pages = texts(&driver, "[data-testid^='reading-page-']").await?;
        seen.zone = first(&driver, "[data-testid='reading-zone-1']").await?;
        seen.mrz = first(&driver, "[data-testid='reading-mrz']").await?;
        shot(&driver, "61-scan-what-qujat-read").await?;

        // The dialog follows the language; close and reopen in Russian.
        by_id(&driver, "reading-close").await?.click().await?;
        set_language(&driver, "ru").await?;
        by_id(&driver, "reading-passport-copy")
            .await?
            .click()
            .await?;
        by_id(&driver, "reading-page-2").await?;
        seen.russian_title = first(&driver, "[data-testid='reading-dialog'] h2").await?;
        shot(&driver, "62-ru-scan-what-qujat-read").await?;
        by_id(&driver, "reading-close").await?.click().await?;

        set_language(&driver, "kk").await?;
        by_id(&driver, "reading-passport-copy")
            .await?
            .click()
            .await?;
        seen.kazakh_page = first(&driver, "[data-testid='reading-page-1']").await?;
        shot(&driver, "63-kk-scan-what-qujat-read").await?;
        by_id(&driver, "reading-close").await?.click().await?;
        set_language(&driver, "en").await?;
        Ok(())
    }
    .await;
    finish(driver, run, "69-scan-failed-here").await;

    assert!(seen.done, "the scan was read: {seen:?}");
    assert!(
        seen.page_steps.iter().any(|s| s.contains("of 2")),
        "the status line named a page of the two being read: {seen:?}"
    );
    assert_eq!(seen.dialog_title, "What Qujat read in Passport scan.pdf");
    assert_eq!(seen.pages.len(), 2, "{seen:?}");
    assert!(seen.pages[0].starts_with("Page 1"), "{:?}", seen.pages[0]);
    assert!(seen.pages[0].contains("confidence"), "{:?}", seen.pages[0]);
    assert!(seen.pages[0].contains("ERIKSSON"), "{:?}", seen.pages[0]);
    assert!(seen.pages[1].contains("Эрикссон"), "{:?}", seen.pages[1]);
    // The zone's lines as OCR gave them (a loaded machine has seen it
    // double a character: "L898902C036…"), and the number as the check
    // digits settle it.
    assert!(seen.zone.contains("L898902C"), "{:?}", seen.zone);
    assert!(seen.mrz.contains("L898902C3"), "{:?}", seen.mrz);
    assert_eq!(
        seen.russian_title,
        "Что Qujat прочитал в файле Passport scan.pdf"
    );
    assert!(
        seen.kazakh_page.starts_with("1-бет"),
        "{:?}",
        seen.kazakh_page
    );

    assert!(
        seen.offer
            .contains("machine-readable zone, check digits valid"),
        "{seen:?}"
    );
    assert!(
        seen.offers[0].contains("машиночитаемой зоны")
            && seen.offers[1].contains("машинамен оқылатын"),
        "{seen:?}"
    );
    assert_eq!(seen.status_before, "needs-date", "{seen:?}");
    // English dates are typed year first (ISO).
    assert_eq!(
        seen.saved_expiry,
        expiry.format("%Y-%m-%d").to_string(),
        "{seen:?}"
    );
    assert_eq!(
        seen.status_after, "problem",
        "100 days are under 180: {seen:?}"
    );
    assert!(
        seen.findings_after.iter().any(|f| f.contains("180")),
        "the 180-day rule judged the zone's date: {seen:?}"
    );
    assert_eq!(seen.offer_after, 0, "the offer goes once saved: {seen:?}");
    assert!(
        !seen.cv_findings.iter().any(|f| f.contains("name")),
        "the Cyrillic CV names the applicant: {seen:?}"
    );
}
