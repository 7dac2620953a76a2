//! End-to-end: the embassy demo, presentation mode, the print view and
//! undoing a removal, in the real app window (see `app_window.rs`).

mod common;

use std::time::{Duration, Instant};

use common::choose_language;
use common::finish;
use common::{
    by_id, click_id, demo_action, open_app, open_demo_menu, shot, wait_for_status, TauriDriver,
};
use thirtyfour::prelude::*;

/// Every requirement's status over all stages of the open dossier.
async fn all_statuses(driver: &WebDriver) -> WebDriverResult<Vec<String>> {
    let mut statuses = Vec::new();
    let tabs = driver
        .find_all(By::Css("[data-testid^='stage-tab-']"))
        .await?;
    for tab in tabs {
        tab.click().await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        for card in driver
            .find_all(By::Css("[data-testid^='requirement-'][data-status]"))
            .await?
        {
            statuses.push(card.attr("data-status").await?.unwrap_or_default());
        }
    }
    Ok(statuses)
}

/// The `data-testid` of the focused element, and whether the Demo menu is
/// open (its button's `aria-expanded`, and the menu in the page).
async fn focus_and_menu(driver: &WebDriver) -> WebDriverResult<String> {
    let seen = driver
        .execute(
            "const a = document.activeElement;
             const button = document.querySelector(\"[data-testid='demo-menu']\");
             return `${a.dataset.testid || a.tagName} expanded=${button.getAttribute('aria-expanded')} menu=${!!document.querySelector('[role=menu]')}`;",
            vec![],
        )
        .await?;
    Ok(seen.json().as_str().unwrap_or_default().to_owned())
}

async fn press(driver: &WebDriver, key: Key) -> WebDriverResult<()> {
    driver
        .action_chain()
        .key_down(key.clone())
        .key_up(key)
        .perform()
        .await?;
    tokio::time::sleep(Duration::from_millis(250)).await;
    Ok(())
}

/// The Demo menu with the keyboard: Down opens it on its first item, the
/// arrows move (and wrap), Escape closes it and gives focus back to its
/// button, Tab leaves it closed; a click elsewhere closes it too.
async fn demo_menu_keys(driver: &WebDriver) -> WebDriverResult<Vec<String>> {
    let mut seen = Vec::new();
    // The list has opened (and put focus on its heading).
    by_id(driver, "dossier-item").await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    driver
        .execute(
            "document.querySelector(\"[data-testid='demo-menu']\").focus();",
            vec![],
        )
        .await?;
    press(driver, Key::Down).await?;
    seen.push(focus_and_menu(driver).await?);
    press(driver, Key::Up).await?;
    seen.push(focus_and_menu(driver).await?);
    press(driver, Key::Down).await?;
    seen.push(focus_and_menu(driver).await?);
    press(driver, Key::Escape).await?;
    seen.push(focus_and_menu(driver).await?);
    press(driver, Key::Enter).await?;
    seen.push(focus_and_menu(driver).await?);
    press(driver, Key::Tab).await?;
    seen.push(focus_and_menu(driver).await?);
    open_demo_menu(driver).await?;
    driver
        .find(By::Css(".app-header .brand"))
        .await?
        .click()
        .await?;
    tokio::time::sleep(Duration::from_millis(250)).await;
    seen.push(focus_and_menu(driver).await?);
    Ok(seen)
}

async fn dossier_names(driver: &WebDriver) -> WebDriverResult<Vec<String>> {
    let mut names = Vec::new();
    for item in driver
        .find_all(By::Css("[data-testid='dossier-item']"))
        .await?
    {
        names.push(item.text().await?);
    }
    Ok(names)
}

#[derive(Debug)]
struct Seen {
    statuses: Vec<String>,
    badge: bool,
    print_items: usize,
    presenting: Vec<String>,
    menu_keys: Vec<String>,
    menu_checked: Option<String>,
    after_reset: Vec<String>,
    removed: String,
    restored: String,
    restored_text: String,
    image_width: u32,
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs an X display, tauri-driver and xdotool: run scripts/test.sh"]
async fn demo_presentation_print_reset_and_undo() {
    let home = tempfile::tempdir().expect("temp dir");
    let data_dir = home.path().join("data");
    {
        let mut ws = qujat_core::Workspace::open(&data_dir).expect("workspace");
        ws.create_dossier("kz-ai-pilot", "Real Applicant", chrono::Utc::now())
            .expect("a real dossier");
    }

    let _driver_process = TauriDriver::start(&data_dir);
    let driver = open_app().await.expect("session with the app");
    let run = async {
        // The Demo menu in the header, with the keyboard.
        let menu_keys = demo_menu_keys(&driver).await?;

        // The demo, from the header's Demo menu.
        demo_action(&driver, "demo-open").await?;
        let title = by_id(&driver, "dossier-title").await?;
        let deadline = Instant::now() + Duration::from_secs(30);
        while !title.text().await?.contains("Alex Sample") && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let badge = !driver
            .find_all(By::Css("[data-testid='demo-badge']"))
            .await?
            .is_empty();
        shot(&driver, "demo-01-dossier").await?;
        let statuses = all_statuses(&driver).await?;

        // The print view of its checklist, in English and in Kazakh.
        by_id(&driver, "print-checklist").await?.click().await?;
        by_id(&driver, "print-view").await?;
        let print_items = driver
            .find_all(By::Css("[data-testid='print-item']"))
            .await?
            .len();
        shot(&driver, "demo-02-print-en").await?;
        by_id(&driver, "print-close").await?.click().await?;
        choose_language(&driver, "kk").await?;
        by_id(&driver, "print-checklist").await?.click().await?;
        by_id(&driver, "print-view").await?;
        shot(&driver, "demo-03-print-kk").await?;
        by_id(&driver, "print-close").await?.click().await?;

        // Presentation mode: the real dossier is hidden.
        demo_action(&driver, "presentation-toggle").await?;
        by_id(&driver, "presentation-indicator").await?;
        open_demo_menu(&driver).await?;
        let menu_checked = by_id(&driver, "presentation-toggle")
            .await?
            .attr("aria-checked")
            .await?;
        press(&driver, Key::Escape).await?;
        if by_id(&driver, "back-to-list").await.is_ok() {
            by_id(&driver, "back-to-list").await?.click().await?;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        let presenting = dossier_names(&driver).await?;
        shot(&driver, "demo-04-presentation-kk").await?;
        choose_language(&driver, "en").await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        shot(&driver, "demo-05-presentation-en").await?;
        // Presentation mode's own exit, outside the menu.
        by_id(&driver, "presentation-exit").await?.click().await?;

        // Reset: a fresh demo, the real dossier kept.
        // It asks first: the destructive item only opens the question.
        demo_action(&driver, "demo-reset").await?;
        by_id(&driver, "demo-reset-confirm").await?.click().await?;
        by_id(&driver, "dossier-title").await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        by_id(&driver, "back-to-list").await?.click().await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let after_reset = dossier_names(&driver).await?;

        // Remove a demo document, then undo.
        // Found afresh: the list re-renders as the reset's report arrives.
        driver
            .find(By::XPath(
                "//*[@data-testid='dossier-item'][contains(., 'Alex Sample')]",
            ))
            .await?
            .click()
            .await?;
        // The dossier opens on the stage its case is in (eGov here).
        by_id(&driver, "dossier-title").await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        click_id(&driver, "stage-tab-astana-hub").await?;
        wait_for_status(&driver, "cv", "ok").await?;
        by_id(&driver, "remove-cv").await?.click().await?;
        let removed = wait_for_status(&driver, "cv", "missing").await?;
        by_id(&driver, "undo-remove").await?;
        shot(&driver, "demo-06-undo-toast").await?;
        by_id(&driver, "undo-remove").await?.click().await?;
        let restored = wait_for_status(&driver, "cv", "ok").await?;
        let restored_text = by_id(&driver, "requirement-cv").await?.text().await?;
        shot(&driver, "demo-07-restored").await?;

        // The photo (a PNG) previews in the window.
        let preview = by_id(&driver, "preview-photo").await?;
        preview.scroll_into_view().await?;
        preview.click().await?;
        let image = driver.find(By::Css("img.preview")).await?;
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut image_width = 0;
        while image_width == 0 && Instant::now() < deadline {
            let width = image.prop("naturalWidth").await?.unwrap_or_default();
            image_width = width.parse::<u32>().unwrap_or(0);
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        shot(&driver, "demo-08-photo-preview").await?;
        WebDriverResult::Ok(Seen {
            statuses,
            badge,
            print_items,
            presenting,
            menu_keys,
            menu_checked,
            after_reset,
            removed,
            restored,
            restored_text,
            image_width,
        })
    }
    .await;
    let seen = finish(driver, run, "demo-99-failed-here").await;

    let count = |s: &str| seen.statuses.iter().filter(|v| *v == s).count();
    assert!(count("ok") > 0, "the demo shows ok items: {seen:?}");
    assert!(count("problem") > 0, "the demo shows a problem: {seen:?}");
    assert!(
        count("missing") > 0,
        "the demo shows missing items: {seen:?}"
    );
    assert_eq!(
        seen.menu_keys[..6],
        [
            "demo-open expanded=true menu=true",
            "presentation-toggle expanded=true menu=true",
            "demo-open expanded=true menu=true",
            "demo-menu expanded=false menu=false",
            "demo-open expanded=true menu=true",
            "settings-open expanded=false menu=false",
        ],
        "the Demo menu with the keyboard: Down, Up, Down, Escape, Enter, Tab"
    );
    assert!(
        seen.menu_keys[6].ends_with("expanded=false menu=false"),
        "a click outside closes the Demo menu: {:?}",
        seen.menu_keys
    );
    assert_eq!(
        seen.menu_checked.as_deref(),
        Some("true"),
        "the Presentation item is checked while presenting"
    );
    assert!(seen.badge, "the demo dossier carries a Demo badge");
    assert!(seen.print_items > 5, "the print view lists the checklist");
    assert!(
        seen.presenting
            .iter()
            .all(|n| !n.contains("Real Applicant")),
        "presentation mode hides real dossiers: {:?}",
        seen.presenting
    );
    assert_eq!(seen.after_reset.len(), 2, "{:?}", seen.after_reset);
    assert!(
        seen.after_reset
            .iter()
            .any(|n| n.contains("Real Applicant")),
        "reset keeps the real dossier: {:?}",
        seen.after_reset
    );
    assert_eq!(seen.removed, "missing", "Remove takes the file away");
    assert_eq!(seen.restored, "ok", "Undo puts the same file back");
    assert!(!seen.restored_text.is_empty());
    assert!(seen.image_width > 0, "the photo preview shows the image");
}
