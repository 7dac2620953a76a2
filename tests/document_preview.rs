//! End-to-end: the preview of an attached document in the real app window
//! (see `app_window.rs`): PDF pages drawn by pdf.js, page by page, with the
//! keyboard; a damaged and a password-protected PDF; Cyrillic text from the
//! demo's samples; images.

mod common;

use std::time::{Duration, Instant};

use common::finish;
use common::text_of;
use common::{by_id, click_id, open_app, pdf_of_pages, shot, TauriDriver};
use thirtyfour::prelude::*;

/// What the canvas shows: its page number, whether it is drawn, and how
/// many of its pixels are dark (text), counted in the window itself.
#[derive(Debug, Default, Clone, PartialEq)]
struct Canvas {
    page: String,
    dark: u64,
    width: u64,
}

/// Waits until the preview's canvas has drawn `page`, then reads its pixels back.
async fn drawn_page(driver: &WebDriver, page: u32) -> WebDriverResult<Canvas> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let canvas = by_id(driver, "preview-canvas").await?;
        let drawn = canvas.attr("data-drawn").await?.unwrap_or_default() == "true";
        let shown = canvas.attr("data-page").await?.unwrap_or_default();
        if (drawn && shown == page.to_string()) || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    let counted = driver
        .execute(
            "const c = document.querySelector(\"[data-testid='preview-canvas']\");
             const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
             let dark = 0;
             for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] < 300) dark++;
             return [c.dataset.page, dark, c.width];",
            vec![],
        )
        .await?
        .json()
        .clone();
    Ok(Canvas {
        page: counted[0].as_str().unwrap_or_default().to_owned(),
        dark: counted[1].as_u64().unwrap_or(0),
        width: counted[2].as_u64().unwrap_or(0),
    })
}

/// Takes a screenshot once the window has painted what the DOM already shows.
async fn shot_now(driver: &WebDriver, name: &str) -> WebDriverResult<()> {
    tokio::time::sleep(Duration::from_millis(400)).await;
    shot(driver, name).await
}

/// The `data-testid` of the focused element.
async fn focused(driver: &WebDriver) -> WebDriverResult<String> {
    Ok(driver
        .active_element()
        .await?
        .attr("data-testid")
        .await?
        .unwrap_or_default())
}

async fn press(driver: &WebDriver, key: Key) -> WebDriverResult<()> {
    driver.active_element().await?.send_keys(key).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    Ok(())
}

async fn open_dossier(driver: &WebDriver, name: &str) -> WebDriverResult<()> {
    if by_id(driver, "back-to-list").await.is_ok() {
        by_id(driver, "back-to-list").await?.click().await?;
        tokio::time::sleep(Duration::from_millis(400)).await;
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        // The list re-renders while it loads (or the language changes): an
        // item may go stale between finding and reading it; look again.
        for item in driver
            .find_all(By::Css("[data-testid='dossier-item']"))
            .await?
        {
            if item.text().await.is_ok_and(|t| t.contains(name)) && item.click().await.is_ok() {
                by_id(driver, "dossier-title").await?;
                tokio::time::sleep(Duration::from_millis(500)).await;
                return Ok(());
            }
        }
        if Instant::now() > deadline {
            return Err(WebDriverError::FatalError(format!("no dossier {name}")));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Waits for the preview's dialog to show a failure message; returns it.
async fn preview_message(driver: &WebDriver) -> WebDriverResult<String> {
    let deadline = Instant::now() + Duration::from_secs(40);
    loop {
        if let Some(message) = driver
            .find_all(By::Css("[data-testid='preview-message']"))
            .await?
            .first()
        {
            return message.text().await;
        }
        if Instant::now() > deadline {
            return Ok(String::new());
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// A PDF locked with a user password (the standard security handler's
/// check values are made up, so no password opens it, the empty one neither).
fn password_protected_pdf() -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(b"xref\n0 4\n0000000000 65535 f \n");
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    let (check, id) = ("AB".repeat(32), "CD".repeat(16));
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size 4 /Root 1 0 R /Encrypt << /Filter /Standard /V 1 /R 2 \
             /O <{check}> /U <{check}> /P -4 >> /ID [<{id}> <{id}>] >>\nstartxref\n{xref}\n%%EOF\n"
        )
        .as_bytes(),
    );
    pdf
}

#[derive(Debug, Default)]
struct Seen {
    first: Canvas,
    first_label: String,
    second: Canvas,
    second_label: String,
    third_label: String,
    next_disabled_at_end: bool,
    open_after_esc: usize,
    focus_after_esc: String,
    broken_message: String,
    locked_message: String,
    cyrillic: Canvas,
    cyrillic_label: String,
    image_width: u32,
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs an X display, tauri-driver and xdotool: run scripts/test.sh"]
async fn pdf_pages_a_broken_pdf_and_images_preview_in_the_window() {
    let home = tempfile::tempdir().expect("temp dir");
    let data_dir = home.path().join("data");
    {
        let mut ws = qujat_core::Workspace::open(&data_dir).expect("workspace");
        let now = chrono::Utc::now();
        let dossier = ws
            .create_dossier("kz-ai-pilot", "Preview Applicant", now)
            .expect("a dossier");
        let cv = home.path().join("cv-three-pages.pdf");
        std::fs::write(
            &cv,
            pdf_of_pages(&[
                "Curriculum vitae, page one: ML engineer",
                "Page two: projects, publications and talks at conferences",
                "Page three: languages, references and contacts",
            ]),
        )
        .expect("write the PDF");
        ws.attach(&dossier.id, "cv", &cv, now)
            .expect("attach the CV");
        let broken = home.path().join("biography-damaged.pdf");
        std::fs::write(
            &broken,
            b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\n\x00\xff\x13 cut off here",
        )
        .expect("write the damaged PDF");
        ws.attach(&dossier.id, "biography", &broken, now)
            .expect("attach the damaged PDF");
        let locked = home.path().join("portfolio-locked.pdf");
        std::fs::write(&locked, password_protected_pdf()).expect("write the locked PDF");
        ws.attach(&dossier.id, "portfolio", &locked, now)
            .expect("attach the locked PDF");
        // The demo's samples carry their notice in Russian (embedded DejaVu Sans).
        ws.create_demo(
            qujat_core::i18n::Lang::Ru,
            now,
            chrono::Local::now().date_naive(),
        )
        .expect("the demo");
    }

    let _driver_process = TauriDriver::start(&data_dir);
    let driver = open_app().await.expect("session with the app");
    let run = async {
        let mut seen = Seen::default();
        open_dossier(&driver, "Preview Applicant").await?;
        click_id(&driver, "stage-tab-astana-hub").await?;
        tokio::time::sleep(Duration::from_millis(400)).await;

        // A three-page PDF: page 1, then 2 with the button, 3 with the keyboard.
        click_id(&driver, "preview-cv").await?;
        by_id(&driver, "preview-dialog").await?;
        seen.first = drawn_page(&driver, 1).await?;
        seen.first_label = text_of(&driver, "preview-page").await?;
        shot_now(&driver, "preview-01-pdf-page-1").await?;
        by_id(&driver, "preview-next").await?.click().await?;
        seen.second = drawn_page(&driver, 2).await?;
        seen.second_label = text_of(&driver, "preview-page").await?;
        shot_now(&driver, "preview-02-pdf-page-2").await?;
        press(&driver, Key::Right).await?;
        drawn_page(&driver, 3).await?;
        seen.third_label = text_of(&driver, "preview-page").await?;
        seen.next_disabled_at_end = !by_id(&driver, "preview-next").await?.is_enabled().await?;

        // Esc closes it and gives the focus back to the button that opened it.
        press(&driver, Key::Escape).await?;
        seen.open_after_esc = driver
            .find_all(By::Css("[data-testid='preview-dialog']"))
            .await?
            .len();
        seen.focus_after_esc = focused(&driver).await?;

        // A damaged PDF: a message in the preview, not an exception.
        click_id(&driver, "preview-biography").await?;
        seen.broken_message = preview_message(&driver).await?;
        shot_now(&driver, "preview-03-damaged-pdf").await?;
        by_id(&driver, "preview-close").await?.click().await?;
        click_id(&driver, "preview-portfolio").await?;
        seen.locked_message = preview_message(&driver).await?;
        by_id(&driver, "preview-close").await?.click().await?;

        // The demo in Russian: Cyrillic from an embedded font, in the dark theme too.
        driver
            .find(By::Css("#language-select option[value='ru']"))
            .await?
            .click()
            .await?;
        open_dossier(&driver, "Alex Sample").await?;
        click_id(&driver, "stage-tab-astana-hub").await?;
        tokio::time::sleep(Duration::from_millis(400)).await;
        click_id(&driver, "preview-cv").await?;
        seen.cyrillic = drawn_page(&driver, 1).await?;
        seen.cyrillic_label = text_of(&driver, "preview-page").await?;
        shot_now(&driver, "preview-04-demo-ru").await?;
        driver
            .execute("document.documentElement.dataset.theme = 'dark';", vec![])
            .await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        shot_now(&driver, "preview-05-demo-ru-dark").await?;
        press(&driver, Key::Escape).await?;

        // The photo, a PNG, in the same dialog.
        click_id(&driver, "preview-photo").await?;
        let image = driver.find(By::Css("img.preview")).await?;
        let deadline = Instant::now() + Duration::from_secs(10);
        while seen.image_width == 0 && Instant::now() < deadline {
            let width = image.prop("naturalWidth").await?.unwrap_or_default();
            seen.image_width = width.parse::<u32>().unwrap_or(0);
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        shot_now(&driver, "preview-06-photo-dark").await?;
        press(&driver, Key::Escape).await?;
        WebDriverResult::Ok(seen)
    }
    .await;
    let seen = finish(driver, run, "preview-99-failure").await;
    println!("{seen:#?}");

    assert_eq!(seen.first.page, "1", "{seen:#?}");
    assert!(seen.first.width > 400, "a readable page width: {seen:#?}");
    assert!(
        seen.first.dark > 300,
        "page 1 has drawn text (dark pixels): {seen:#?}"
    );
    assert_eq!(seen.first_label, "Page 1 of 3");
    assert_eq!(seen.second.page, "2");
    assert!(seen.second.dark > 300, "page 2 is drawn: {seen:#?}");
    assert_ne!(
        seen.first.dark, seen.second.dark,
        "page 2 is not page 1 again"
    );
    assert_eq!(seen.second_label, "Page 2 of 3");
    assert_eq!(seen.third_label, "Page 3 of 3", "the arrow key turns pages");
    assert!(seen.next_disabled_at_end, "no next page after the last");
    assert_eq!(seen.open_after_esc, 0, "Esc closes the preview");
    assert_eq!(
        seen.focus_after_esc, "preview-cv",
        "the focus returns to the button that opened the preview"
    );
    assert!(
        seen.broken_message.contains("damaged"),
        "a damaged PDF is explained: {:?}",
        seen.broken_message
    );
    assert!(
        seen.locked_message.contains("password"),
        "a password-protected PDF is explained: {:?}",
        seen.locked_message
    );
    assert!(
        seen.cyrillic.dark > 300,
        "the demo sample with Cyrillic text is drawn: {seen:#?}"
    );
    assert!(
        seen.cyrillic_label.starts_with("Страница 1 из"),
        "the page counter is translated: {:?}",
        seen.cyrillic_label
    );
    assert!(seen.image_width > 0, "the photo shows in the preview");
}
