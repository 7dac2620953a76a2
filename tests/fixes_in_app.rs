//! End-to-end: issue 13's fixes in the real app window (see
//! `app_window.rs`), driven over WebDriver.
//!
//! An in-demand dossier is seeded through `qujat_core` with a one-page scan
//! of noise (what JPEG squeezes least) as its passport copy, 12 MB where
//! 10 MiB is the limit, and a three-page one (39 MB) as its autobiography.
//!
//! - Cancel: "Make it smaller" on the autobiography, cancelled while it
//!   runs, closes the dialog and leaves the document as it was.
//! - Shrink: the passport copy's finding offers "Make it smaller"; the
//!   result shows the new size under the limit beside the old one, and
//!   "Replace" makes it the document: the finding is gone, and the vault's
//!   file is a PDF that `qpdf --check` and `pdfinfo` accept, under 10 MiB.
//! - Combine: three photos picked for the medical certificate show as three
//!   tiles; one removed, one turned, the last moved first; "Make one PDF"
//!   then "Replace" give a two-page PDF whose first page is the third
//!   photo (landscape) and whose second is the first photo, turned.
//!
//! - Unlock: the rental agreement, a PDF that needs the password "right",
//!   offers "Save without restrictions"; the password is asked, a wrong
//!   one is said to be wrong and asked again, the right one gives a result
//!   that replaces it, and `pdfinfo` says the vault's file is not
//!   encrypted.
//!
//! - Wrong kind: an AI-pilot dossier's CV (PDF only) is a photo; the
//!   reason offers "Make one PDF", whose strip starts with the photo
//!   itself, and the result makes the CV a one-page PDF.
//!
//! - Crop: the in-demand dossier's photo, a landscape phone photo of a
//!   real face with the head far too small, offers "Crop to 35 × 45" on its
//!   finding; the result replaces it, and ImageMagick reads a 413 × 531
//!   JPEG from the vault.
//!
//! The strip and the result are shot in English, Russian and Kazakh.
//! One test function: every binary here talks to the same driver port.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::Utc;
use common::{answer_file_dialog, by_id, click_id, open_app, shot, TauriDriver};
use qujat_core::Workspace;
use thirtyfour::prelude::*;

const LIMIT: u64 = 10 * 1024 * 1024;

#[path = "fixtures/scans.rs"]
mod scans;
use scans::{arg as path, tool};

/// A PDF of `pages` A4 pages of 300 dpi noise, embedded as JPEG as it is.
fn noise_pdf(dir: &Path, name: &str, pages: usize) -> PathBuf {
    let scan = dir.join("noise.jpg");
    if !scan.exists() {
        tool(
            "convert",
            &[
                "-size",
                "2480x3508",
                "xc:white",
                "+noise",
                "Random",
                "-blur",
                "0x0.6",
                "-quality",
                "95",
                "-density",
                "300",
                "-units",
                "PixelsPerInch",
                path(&scan),
            ],
        );
    }
    let out = dir.join(name);
    let mut args: Vec<&str> = vec![path(&scan); pages];
    args.extend(["-o", path(&out)]);
    tool("img2pdf", &args);
    out
}

/// A 1200 × 800 photo with a dark block in its top-left corner (a page
/// turned the wrong way shows) and a disc of its own colour.
fn photo(dir: &Path, name: &str, colour: &str) -> PathBuf {
    let out = dir.join(name);
    tool(
        "convert",
        &[
            "-size",
            "1200x800",
            "gradient:#f0f0ff-#a0a0c0",
            "-fill",
            "#202020",
            "-draw",
            "rectangle 0,0 300,200",
            "-fill",
            colour,
            "-draw",
            "circle 600,400 600,600",
            path(&out),
        ],
    );
    out
}

/// A landscape phone photo of a real face (the core's public-domain face
/// fixture, its head and shoulders enlarged) on a plain light background,
/// the head well under half the height: off the 35 × 45 specification.
fn phone_portrait(dir: &Path) -> PathBuf {
    let face = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("crates/qujat-core/tests/fixtures/photo/face.png");
    let out = dir.join("me.jpg");
    tool(
        "convert",
        &[
            path(&face),
            "-crop",
            "70x121+17+9",
            "+repage",
            "-resize",
            "560%",
            "-background",
            "#ececE8",
            "-gravity",
            "center",
            "-extent",
            "1600x1200",
            "-quality",
            "95",
            path(&out),
        ],
    );
    out
}

struct Seeded {
    dossier: String,
    autobiography_sha: String,
    pilot: String,
}

/// A one-page PDF that opens only with the password "right".
fn locked_pdf(dir: &Path) -> PathBuf {
    let plain = dir.join("plain.pdf");
    fs::write(
        &plain,
        common::one_page_pdf("Rental agreement. Ada Lovelace."),
    )
    .expect("write");
    let locked = dir.join("rental-locked.pdf");
    tool(
        "qpdf",
        &[
            "--encrypt",
            "right",
            "owner-secret",
            "256",
            "--",
            path(&plain),
            path(&locked),
        ],
    );
    locked
}

fn seed(home: &Path, data_dir: &Path) -> Seeded {
    let passport = noise_pdf(home, "passport-scan.pdf", 1);
    let autobiography = noise_pdf(home, "autobiography-scan.pdf", 3);
    assert!(fs::metadata(&passport).expect("size").len() > LIMIT);
    let now = Utc::now();
    let mut ws = Workspace::open(data_dir).expect("the data folder");
    let dossier = ws
        .create_dossier("kz-in-demand", "Ada Lovelace", now)
        .expect("a dossier");
    ws.attach(&dossier.id, "passport-copy", &passport, now)
        .expect("the passport copy is kept though too large");
    let auto = ws
        .attach(&dossier.id, "autobiography", &autobiography, now)
        .expect("the autobiography is kept though too large");
    ws.attach(&dossier.id, "housing-proof", &locked_pdf(home), now)
        .expect("the locked agreement");
    ws.attach(&dossier.id, "photo", &phone_portrait(home), now)
        .expect("the phone photo");
    // The closed AI pilot, seeded through the core as other tests do.
    let pilot = ws
        .create_dossier("kz-ai-pilot", "Grace Hopper", now)
        .expect("a pilot dossier");
    let cv_photo = photo(home, "cv-photo.jpg", "#c0a030");
    ws.attach(&pilot.id, "cv", &cv_photo, now)
        .expect("a photo where a PDF is asked");
    Seeded {
        dossier: dossier.id,
        autobiography_sha: auto.sha256,
        pilot: pilot.id,
    }
}

/// An element's text as the page has it (WebKitWebDriver's own text is
/// sometimes empty, or stale after a re-render).
async fn text_of(driver: &WebDriver, test_id: &str) -> WebDriverResult<String> {
    let value = driver
        .execute(
            "const el = document.querySelector(`[data-testid='${arguments[0]}']`);
             return el ? el.innerText : null;",
            vec![serde_json::Value::from(test_id)],
        )
        .await?;
    Ok(value.json().as_str().unwrap_or_default().to_owned())
}

/// An attribute read in the page; empty when the element is not there.
async fn attr_of(driver: &WebDriver, test_id: &str, name: &str) -> WebDriverResult<String> {
    let value = driver
        .execute(
            "const el = document.querySelector(`[data-testid='${arguments[0]}']`);
             return el ? el.getAttribute(arguments[1]) : null;",
            vec![
                serde_json::Value::from(test_id),
                serde_json::Value::from(name),
            ],
        )
        .await?;
    Ok(value.json().as_str().unwrap_or_default().to_owned())
}

async fn exists(driver: &WebDriver, test_id: &str) -> WebDriverResult<bool> {
    Ok(!driver
        .find_all(By::Css(format!("[data-testid='{test_id}']")))
        .await?
        .is_empty())
}

/// Waits until `probe` says yes, for at most `seconds`; returns whether it did.
async fn until<F, Fut>(seconds: u64, mut probe: F) -> WebDriverResult<bool>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = WebDriverResult<bool>>,
{
    let deadline = Instant::now() + Duration::from_secs(seconds);
    loop {
        if probe().await? {
            return Ok(true);
        }
        if Instant::now() > deadline {
            return Ok(false);
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// Opens the dossier of `name` from the list (going back to it first).
async fn open_dossier(driver: &WebDriver, name: &str) -> WebDriverResult<()> {
    if exists(driver, "back-to-list").await? {
        click_id(driver, "back-to-list").await?;
        tokio::time::sleep(Duration::from_millis(400)).await;
    }
    let opened = until(20, || async {
        let clicked = driver
            .execute(
                "const item = [...document.querySelectorAll(\"[data-testid='dossier-item']\")]
                   .find(i => i.innerText.includes(arguments[0]));
                 if (item) item.click();
                 return !!item;",
                vec![serde_json::Value::from(name)],
            )
            .await?;
        Ok(clicked.json().as_bool().unwrap_or(false))
    })
    .await?;
    if !opened {
        return Err(WebDriverError::FatalError(format!("no dossier {name}")));
    }
    by_id(driver, "dossier-title").await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    Ok(())
}

async fn phase(driver: &WebDriver) -> WebDriverResult<String> {
    attr_of(driver, "fix-dialog", "data-phase").await
}

async fn tiles(driver: &WebDriver) -> WebDriverResult<usize> {
    Ok(driver
        .find_all(By::Css("[data-testid='fix-tile']"))
        .await?
        .len())
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
    tokio::time::sleep(Duration::from_millis(600)).await;
    Ok(())
}

/// Shoots the open dialog in English, Russian and Kazakh.
async fn shots_in_three_languages(driver: &WebDriver, name: &str) -> WebDriverResult<()> {
    tokio::time::sleep(Duration::from_millis(600)).await;
    shot(driver, &format!("{name}-en")).await?;
    set_language(driver, "ru").await?;
    shot(driver, &format!("{name}-ru")).await?;
    set_language(driver, "kk").await?;
    shot(driver, &format!("{name}-kk")).await?;
    set_language(driver, "en").await
}

#[derive(Debug, Default)]
struct Seen {
    cancel_clicked_while_running: bool,
    phase_after_cancel: String,
    shrink_offered: bool,
    result_new_bytes: u64,
    result_old_bytes: u64,
    result_text: String,
    finding_gone: bool,
    undo_offered: bool,
    strip_tiles: usize,
    strip_after_remove: usize,
    rotated: String,
    combined_pages: String,
    wrong_kind_tiles: usize,
    wrong_kind_pages: String,
    wrong_kind_fixed: bool,
    password_asked: bool,
    wrong_password_message: String,
    unlocked: bool,
    crop_offered: bool,
    crop_dpi: String,
    crop_fixed: bool,
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs an X display, tauri-driver, xdotool, ImageMagick, img2pdf, qpdf and poppler: run scripts/test.sh"]
async fn files_are_fixed_in_the_window_and_shown_before_they_replace_anything() {
    let home = tempfile::tempdir().expect("temp dir");
    let data_dir = home.path().join("data");
    let seeded = seed(home.path(), &data_dir);
    let photos = [
        photo(home.path(), "page-one.jpg", "#c03030"),
        photo(home.path(), "page-two.jpg", "#30a030"),
        photo(home.path(), "page-three.jpg", "#3030c0"),
    ];

    let _driver_process = TauriDriver::start(&data_dir);
    let driver = open_app().await.expect("session with the app");
    let mut seen = Seen::default();
    let run: WebDriverResult<()> = async {
        open_dossier(&driver, "Ada Lovelace").await?;
        click_id(&driver, "stage-tab-application").await?;

        // (c) Cancel while it runs: the dialog closes, nothing replaced.
        until(30, || exists(&driver, "fix-shrink-autobiography")).await?;
        click_id(&driver, "fix-shrink-autobiography").await?;
        until(10, || async { Ok(phase(&driver).await? != "closed") }).await?;
        if phase(&driver).await? == "running" {
            seen.cancel_clicked_while_running = true;
            tokio::time::sleep(Duration::from_millis(400)).await;
            shot(&driver, "80-fix-running-en").await?;
            click_id(&driver, "fix-cancel").await?;
        }
        until(30, || async { Ok(phase(&driver).await? == "closed") }).await?;
        seen.phase_after_cancel = phase(&driver).await?;

        // (a) Make it smaller, on the finding.
        seen.shrink_offered = until(30, || exists(&driver, "fix-shrink-passport-copy")).await?;
        click_id(&driver, "fix-shrink-passport-copy").await?;
        until(180, || async { Ok(phase(&driver).await? == "result") }).await?;
        until(20, || async {
            Ok(attr_of(&driver, "fix-after", "data-state").await? == "drawn")
        })
        .await?;
        seen.result_new_bytes = attr_of(&driver, "fix-new-size", "data-bytes")
            .await?
            .parse()
            .unwrap_or(0);
        seen.result_old_bytes = attr_of(&driver, "fix-old-size", "data-bytes")
            .await?
            .parse()
            .unwrap_or(0);
        seen.result_text = text_of(&driver, "fix-result").await?;
        shots_in_three_languages(&driver, "81-fix-shrink-result").await?;
        click_id(&driver, "fix-replace").await?;
        until(30, || async { Ok(phase(&driver).await? == "closed") }).await?;
        seen.undo_offered = until(10, || exists(&driver, "undo-remove")).await?;
        seen.finding_gone = until(60, || async {
            Ok(!exists(&driver, "fix-shrink-passport-copy").await?)
        })
        .await?;
        shot(&driver, "82-fix-shrink-replaced-en").await?;

        // (f) The photo cropped to 35 × 45 around the face, on its finding.
        seen.crop_offered = until(60, || exists(&driver, "fix-crop-photo")).await?;
        common::shot_of(&driver, "requirement-photo", "90-fix-crop-offer-en").await?;
        click_id(&driver, "fix-crop-photo").await?;
        until(120, || async { Ok(phase(&driver).await? == "result") }).await?;
        until(20, || async {
            Ok(attr_of(&driver, "fix-after", "data-state").await? == "drawn")
        })
        .await?;
        seen.crop_dpi = text_of(&driver, "fix-result").await?;
        shots_in_three_languages(&driver, "91-fix-crop-result").await?;
        click_id(&driver, "fix-replace").await?;
        until(30, || async { Ok(phase(&driver).await? == "closed") }).await?;
        seen.crop_fixed = until(60, || async {
            Ok(!exists(&driver, "fix-crop-photo").await?)
        })
        .await?;

        // (b) Three photos made one PDF: picked one by one, as a user might.
        click_id(&driver, "add-pages-medical-certificate").await?;
        until(10, || async { Ok(phase(&driver).await? == "strip") }).await?;
        for (i, photo) in photos.iter().enumerate() {
            click_id(&driver, "fix-add-files").await?;
            answer_file_dialog(photo);
            until(20, || async { Ok(tiles(&driver).await? == i + 1) }).await?;
        }
        seen.strip_tiles = tiles(&driver).await?;
        shots_in_three_languages(&driver, "83-fix-strip").await?;
        // Remove the second, turn the first, move the (now) last one first.
        click_id(&driver, "fix-remove-1").await?;
        seen.strip_after_remove = tiles(&driver).await?;
        click_id(&driver, "fix-rotate-0").await?;
        click_id(&driver, "fix-left-1").await?;
        seen.rotated = driver
            .execute(
                "return [...document.querySelectorAll(\"[data-testid='fix-tile']\")]
                   .map(t => t.dataset.source + ':' + t.dataset.rotate).join(' ');",
                vec![],
            )
            .await?
            .json()
            .as_str()
            .unwrap_or_default()
            .to_owned();
        shot(&driver, "84-fix-strip-arranged-en").await?;
        click_id(&driver, "fix-make").await?;
        until(120, || async { Ok(phase(&driver).await? == "result") }).await?;
        until(20, || async {
            Ok(attr_of(&driver, "fix-after", "data-state").await? == "drawn")
        })
        .await?;
        seen.combined_pages = text_of(&driver, "fix-pages").await?;
        shots_in_three_languages(&driver, "85-fix-combine-result").await?;
        click_id(&driver, "fix-replace").await?;
        until(30, || async { Ok(phase(&driver).await? == "closed") }).await?;

        // (d) Unlock: asked for the password only when needed, again when wrong.
        until(90, || exists(&driver, "fix-unlock-housing-proof")).await?;
        click_id(&driver, "fix-unlock-housing-proof").await?;
        seen.password_asked =
            until(60, || async { Ok(phase(&driver).await? == "password") }).await?;
        by_id(&driver, "fix-password")
            .await?
            .send_keys("wrong")
            .await?;
        click_id(&driver, "fix-unlock").await?;
        until(60, || exists(&driver, "fix-error")).await?;
        seen.wrong_password_message = text_of(&driver, "fix-error").await?;
        shots_in_three_languages(&driver, "88-fix-wrong-password").await?;
        by_id(&driver, "fix-password")
            .await?
            .send_keys("right")
            .await?;
        click_id(&driver, "fix-unlock").await?;
        seen.unlocked = until(60, || async { Ok(phase(&driver).await? == "result") }).await?;
        click_id(&driver, "fix-replace").await?;
        until(30, || async { Ok(phase(&driver).await? == "closed") }).await?;

        // (e) A photo where only a PDF is accepted: the reason offers the fix.
        open_dossier(&driver, "Grace Hopper").await?;
        click_id(&driver, "stage-tab-astana-hub").await?;
        until(30, || exists(&driver, "fix-combine-cv")).await?;
        common::shot_of(&driver, "requirement-cv", "89-fix-wrong-kind-offer-en").await?;
        click_id(&driver, "fix-combine-cv").await?;
        until(20, || async { Ok(tiles(&driver).await? == 1) }).await?;
        seen.wrong_kind_tiles = tiles(&driver).await?;
        click_id(&driver, "fix-make").await?;
        until(120, || async { Ok(phase(&driver).await? == "result") }).await?;
        seen.wrong_kind_pages = text_of(&driver, "fix-pages").await?;
        click_id(&driver, "fix-replace").await?;
        until(30, || async { Ok(phase(&driver).await? == "closed") }).await?;
        seen.wrong_kind_fixed = until(30, || async {
            Ok(!exists(&driver, "fix-combine-cv").await?)
        })
        .await?;
        Ok(())
    }
    .await;
    let _ = driver.quit().await;
    run.expect("the fixes in the window");
    drop(_driver_process);

    // (c)
    assert!(
        seen.cancel_clicked_while_running,
        "shrinking 39 MB finished before Cancel could be clicked: {seen:?}"
    );
    assert_eq!(seen.phase_after_cancel, "closed", "{seen:?}");

    // (a) in the window
    assert!(seen.shrink_offered, "{seen:?}");
    assert!(
        seen.result_new_bytes > 0 && seen.result_new_bytes <= LIMIT,
        "{seen:?}"
    );
    assert!(seen.result_old_bytes > LIMIT, "{seen:?}");
    assert!(seen.result_text.contains("Pages"), "{seen:?}");
    assert!(seen.undo_offered, "{seen:?}");
    assert!(seen.finding_gone, "{seen:?}");

    // (b) in the window: sources are numbered 0, 1, 2; the third first,
    // then the first turned.
    assert_eq!(seen.strip_tiles, 3, "{seen:?}");
    assert_eq!(seen.strip_after_remove, 2, "{seen:?}");
    assert_eq!(seen.rotated, "2:0 0:90", "{seen:?}");
    assert_eq!(seen.combined_pages.trim(), "2", "{seen:?}");

    // (d) in the window
    assert!(seen.password_asked, "{seen:?}");
    assert!(
        seen.wrong_password_message
            .contains("This password does not open the PDF"),
        "{seen:?}"
    );
    assert!(seen.unlocked, "{seen:?}");

    // (f) in the window
    assert!(seen.crop_offered, "{seen:?}");
    assert!(seen.crop_dpi.contains("300"), "{seen:?}");
    assert!(seen.crop_fixed, "{seen:?}");

    // (e) in the window
    assert_eq!(seen.wrong_kind_tiles, 1, "{seen:?}");
    assert_eq!(seen.wrong_kind_pages.trim(), "1", "{seen:?}");
    assert!(seen.wrong_kind_fixed, "{seen:?}");

    // What the vault holds now, judged by tools Qujat did not write.
    let ws = Workspace::open(&data_dir).expect("reopen");
    let documents = ws.documents(&seeded.dossier).expect("documents");
    let doc = |id: &str| {
        documents
            .iter()
            .find(|d| d.requirement_id == id)
            .unwrap_or_else(|| panic!("{id} attached"))
            .clone()
    };
    assert_eq!(
        doc("autobiography").sha256,
        seeded.autobiography_sha,
        "cancelled: unchanged"
    );
    let export = |id: &str| {
        let (d, bytes) = ws
            .document_content(&seeded.dossier, id, 100 << 20)
            .expect("read");
        let out = home.path().join(format!("{id}.pdf"));
        fs::write(&out, bytes).expect("write");
        (d, out)
    };

    let (passport, passport_pdf) = export("passport-copy");
    assert!(passport.size <= LIMIT, "{passport:?}");
    assert_eq!(passport.size, seen.result_new_bytes);
    tool("qpdf", &["--check", path(&passport_pdf)]);
    let info = tool("pdfinfo", &[path(&passport_pdf)]);
    assert!(info.contains("Pages:           1"), "{info}");
    assert!(info.contains("Encrypted:       no"), "{info}");
    tool(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "60",
            path(&passport_pdf),
            path(&common::artifacts().join("86-fix-shrunk-page")),
        ],
    );

    let (_, cropped) = ws
        .document_content(&seeded.dossier, "photo", 100 << 20)
        .expect("the cropped photo");
    let cropped_jpg = home.path().join("cropped.jpg");
    fs::write(&cropped_jpg, cropped).expect("write");
    let identified = tool("identify", &["-format", "%m %w %h", path(&cropped_jpg)]);
    assert_eq!(identified.trim(), "JPEG 413 531", "{identified}");

    let (_, unlocked) = export("housing-proof");
    tool("qpdf", &["--check", path(&unlocked)]);
    let info = tool("pdfinfo", &[path(&unlocked)]);
    assert!(info.contains("Encrypted:       no"), "{info}");

    let (_, cv_bytes) = ws
        .document_content(&seeded.pilot, "cv", 100 << 20)
        .expect("the CV");
    let cv_pdf = home.path().join("cv.pdf");
    fs::write(&cv_pdf, cv_bytes).expect("write");
    tool("qpdf", &["--check", path(&cv_pdf)]);
    let info = tool("pdfinfo", &[path(&cv_pdf)]);
    assert!(info.contains("Pages:           1"), "{info}");

    let (_, combined) = export("medical-certificate");
    tool("qpdf", &["--check", path(&combined)]);
    let info = tool("pdfinfo", &["-f", "1", "-l", "2", path(&combined)]);
    assert!(info.contains("Pages:           2"), "{info}");
    // Page 1 is the third photo, upright (landscape); page 2 the first,
    // turned a quarter (portrait once its rotation is applied).
    assert!(landscape(&info, 1), "{info}");
    assert!(!landscape(&info, 2), "{info}");
    tool(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "60",
            path(&combined),
            path(&common::artifacts().join("87-fix-combined-page")),
        ],
    );
}

/// Whether page `n` of `pdfinfo -f -l` output shows wider than tall, its
/// rotation applied.
fn landscape(info: &str, n: u32) -> bool {
    let line = |key: &str| {
        info.lines()
            .find(|l| l.starts_with(&format!("Page{n:>5} {key}:")))
            .map(|l| {
                l.split_once(':')
                    .map(|x| x.1)
                    .unwrap_or("")
                    .trim()
                    .to_owned()
            })
            .unwrap_or_default()
    };
    let size = line("size");
    let mut numbers = size
        .split_whitespace()
        .filter_map(|w| w.parse::<f64>().ok());
    let (w, h) = (numbers.next().unwrap_or(0.0), numbers.next().unwrap_or(0.0));
    let turned = matches!(line("rot").as_str(), "90" | "270");
    (w > h) != turned
}
