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

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::Utc;
use common::{by_id, open_app, shot, TauriDriver};
use qujat_core::Workspace;
use thirtyfour::prelude::*;

const SANS: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
const OCR_B: &str = "/usr/share/fonts/opentype/ocr-b/OCRB.otf";

fn run(program: &str, args: &[&str]) {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} is needed (scripts/setup-debian.sh): {e}"));
    assert!(
        out.status.success(),
        "{program}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The scanned passport copy: the data page, then a page of Russian text.
fn scanned_passport(home: &Path) -> std::path::PathBuf {
    let page1 = home.join("p1.jpg");
    run(
        "convert",
        &[
            "-density",
            "300",
            "-units",
            "PixelsPerInch",
            "-size",
            "1476x1039",
            "xc:white",
            "-font",
            SANS,
            "-pointsize",
            "9",
            "-fill",
            "black",
            "-annotate",
            "+60+90",
            "PASSPORT   Type P   Code UTO   Passport No. L898902C3",
            "-annotate",
            "+500+200",
            "Surname: ERIKSSON",
            "-annotate",
            "+500+260",
            "Given names: ANNA MARIA",
            "-fill",
            "gray70",
            "-draw",
            "rectangle 60,150 440,650",
            "-fill",
            "black",
            "-font",
            OCR_B,
            "-pointsize",
            "12",
            "-annotate",
            "+50+900",
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
            "-annotate",
            "+50+980",
            "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
            "-attenuate",
            "0.3",
            "+noise",
            "Gaussian",
            "-quality",
            "80",
            &page1.to_string_lossy(),
        ],
    );
    let page2 = home.join("p2.jpg");
    run(
        "convert",
        &[
            "-density", "300", "-units", "PixelsPerInch", "-size", "2000x", "-background", "white",
            "-fill", "black", "-font", SANS, "-pointsize", "12",
            "caption:ОТМЕТКИ О РЕГИСТРАЦИИ\nАнна Мария Эрикссон\nЗарегистрирована 14.03.2025, город Астана",
            "-bordercolor", "white", "-border", "150", "-quality", "80",
            &page2.to_string_lossy(),
        ],
    );
    let pdf = home.join("Passport scan.pdf");
    run(
        "img2pdf",
        &[
            &page1.to_string_lossy(),
            &page2.to_string_lossy(),
            "-o",
            &pdf.to_string_lossy(),
        ],
    );
    pdf
}

/// The visible text of every element matching `css`.
async fn texts(driver: &WebDriver, css: &str) -> WebDriverResult<Vec<String>> {
    let mut out = Vec::new();
    for element in driver.find_all(By::Css(css)).await? {
        out.push(element.text().await?);
    }
    Ok(out)
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
    russian_title: String,
    kazakh_page: String,
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs an X display, tauri-driver and the OCR packages: run scripts/test.sh"]
async fn a_scanned_passport_is_read_with_page_progress_and_shown_as_read() {
    let home = tempfile::tempdir().expect("temp dir");
    let data_dir = home.path().join("data");
    let scan = scanned_passport(home.path());
    let now = Utc::now();
    {
        let mut ws = Workspace::open(&data_dir).expect("the data folder");
        let dossier = ws
            .create_dossier("kz-ai-pilot", "Anna Maria Eriksson", now)
            .expect("a dossier");
        ws.attach(&dossier.id, "passport-copy", &scan, now)
            .expect("the scan attaches");
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
        by_id(&driver, "reading-passport-copy")
            .await?
            .click()
            .await?;
        by_id(&driver, "reading-page-2").await?;
        seen.dialog_title = by_id(&driver, "reading-dialog")
            .await?
            .find(By::Tag("h2"))
            .await?
            .text()
            .await?;
        seen.pages = texts(&driver, "[data-testid^='reading-page-']").await?;
        seen.zone = by_id(&driver, "reading-zone-1").await?.text().await?;
        shot(&driver, "61-scan-what-qujat-read").await?;

        // The dialog follows the language; close and reopen in Russian.
        by_id(&driver, "reading-close").await?.click().await?;
        set_language(&driver, "ru").await?;
        by_id(&driver, "reading-passport-copy")
            .await?
            .click()
            .await?;
        by_id(&driver, "reading-page-2").await?;
        seen.russian_title = by_id(&driver, "reading-dialog")
            .await?
            .find(By::Tag("h2"))
            .await?
            .text()
            .await?;
        shot(&driver, "62-ru-scan-what-qujat-read").await?;
        by_id(&driver, "reading-close").await?.click().await?;

        set_language(&driver, "kk").await?;
        by_id(&driver, "reading-passport-copy")
            .await?
            .click()
            .await?;
        seen.kazakh_page = by_id(&driver, "reading-page-1").await?.text().await?;
        shot(&driver, "63-kk-scan-what-qujat-read").await?;
        by_id(&driver, "reading-close").await?.click().await?;
        set_language(&driver, "en").await?;
        Ok(())
    }
    .await;
    driver.quit().await.expect("quit");
    run.expect("the scenario ran");

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
    assert!(seen.zone.contains("L898902C3"), "{:?}", seen.zone);
    assert_eq!(
        seen.russian_title,
        "Что Qujat прочитал в файле Passport scan.pdf"
    );
    assert!(
        seen.kazakh_page.starts_with("1-бет"),
        "{:?}",
        seen.kazakh_page
    );
}
