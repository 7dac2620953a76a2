//! End-to-end: a closed program in the real window. The open in-demand
//! route is offered first, the closed pilot says it is closed, and starting
//! a dossier on it asks for a confirmation in every language: declining
//! creates nothing, confirming opens a dossier that works like any other.
//! Screenshots: `closed-program-<lang>.png` and `closed-program-dossier.png`.

mod common;

use std::time::Duration;

use common::{by_id, click_id, open_app, shot, TauriDriver};
use thirtyfour::prelude::*;

async fn choose_language(driver: &WebDriver, lang: &str) -> WebDriverResult<()> {
    driver
        .find(By::Css(format!("#language-select option[value='{lang}']")))
        .await?
        .click()
        .await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    Ok(())
}

#[derive(Debug, Default)]
struct Seen {
    offered: Vec<String>,
    pilot_marked_closed: bool,
    confirm_texts: Vec<(String, String)>,
    declined_left_no_box: bool,
    dossiers_after_declining: usize,
    title: String,
    stage_tab_found: bool,
    cautious_limit: String,
    cautious_why: String,
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs an X display, tauri-driver and xdotool: run scripts/test.sh"]
async fn a_closed_program_asks_before_a_new_dossier_and_comes_after_the_open_one() {
    let home = tempfile::tempdir().expect("temp dir");
    let data_dir = home.path().join("data");
    let _driver_process = TauriDriver::start(&data_dir);
    let driver = open_app().await.expect("session with the app");
    let run = async {
        let mut seen = Seen::default();
        if by_id(&driver, "applicant-name").await.is_err() {
            by_id(&driver, "new-dossier").await?.click().await?;
        }
        for option in driver
            .find_all(By::Css("[data-testid^='program-option-']"))
            .await?
        {
            let id = option.attr("data-testid").await?.unwrap_or_default();
            seen.offered
                .push(id.trim_start_matches("program-option-").to_owned());
        }
        seen.pilot_marked_closed = by_id(&driver, "program-closed-kz-ai-pilot")
            .await?
            .is_displayed()
            .await?;
        by_id(&driver, "applicant-name")
            .await?
            .send_keys("Aigerim Test")
            .await?;

        for lang in ["en", "ru", "kk"] {
            choose_language(&driver, lang).await?;
            click_id(&driver, "program-option-kz-ai-pilot").await?;
            click_id(&driver, "create-dossier").await?;
            let confirm = by_id(&driver, "closed-program-confirm").await?;
            confirm.scroll_into_view().await?;
            seen.confirm_texts
                .push((lang.to_owned(), confirm.text().await?));
            shot(&driver, &format!("closed-program-{lang}")).await?;
            // Declining goes back to the choice and creates nothing.
            click_id(&driver, "choose-another-program").await?;
        }
        driver
            .set_implicit_wait_timeout(Duration::from_millis(500))
            .await?;
        seen.declined_left_no_box = driver
            .find_all(By::Css("[data-testid='closed-program-confirm']"))
            .await?
            .is_empty();
        seen.dossiers_after_declining = driver
            .find_all(By::Css("[data-testid='dossier-item']"))
            .await?
            .len();
        driver
            .set_implicit_wait_timeout(Duration::from_secs(10))
            .await?;

        choose_language(&driver, "en").await?;
        click_id(&driver, "program-option-kz-ai-pilot").await?;
        click_id(&driver, "create-dossier").await?;
        click_id(&driver, "confirm-closed-program").await?;
        seen.title = by_id(&driver, "dossier-title").await?.text().await?;
        seen.stage_tab_found = by_id(&driver, "stage-tab-astana-hub").await.is_ok();
        shot(&driver, "closed-program-dossier").await?;
        // The unpublished upload limit is shown as Qujat's own, with the
        // reason a click away (#18).
        click_id(&driver, "stage-tab-astana-hub").await?;
        let limit = by_id(&driver, "limit-cautious-cv").await?;
        limit.scroll_into_view().await?;
        limit.find(By::Css("summary")).await?.click().await?;
        tokio::time::sleep(Duration::from_millis(200)).await;
        seen.cautious_limit = limit.text().await?;
        seen.cautious_why = limit.find(By::Css(".rule-note")).await?.text().await?;
        shot(&driver, "closed-program-cautious-limit").await?;
        WebDriverResult::Ok(seen)
    }
    .await;
    // Quit before asserting: a panic with an open session hangs thirtyfour.
    driver.quit().await.expect("close the app");
    let seen = run.expect("the walk through the form");

    assert_eq!(
        seen.offered,
        ["kz-in-demand", "kz-ai-pilot"],
        "the open in-demand route is offered first"
    );
    assert!(
        seen.pilot_marked_closed,
        "the pilot's option says it is closed"
    );
    let expected = [
        ("en", "This program is closed"),
        ("ru", "Эта программа закрыта"),
        ("kk", "Бұл бағдарлама жабық"),
    ];
    for ((lang, text), (want_lang, want)) in seen.confirm_texts.iter().zip(expected) {
        assert_eq!(lang, want_lang);
        assert!(text.contains(want), "{lang}: {text}");
        assert!(
            text.contains("2025"),
            "{lang}: the window note with its dates is shown: {text}"
        );
    }
    assert!(seen.declined_left_no_box, "declining closes the question");
    assert_eq!(
        seen.dossiers_after_declining, 0,
        "declining creates no dossier"
    );
    assert!(seen.title.contains("Aigerim Test"), "{}", seen.title);
    assert!(
        seen.cautious_limit.contains("Qujat’s cautious limit")
            && seen.cautious_limit.contains("10 MB"),
        "{}",
        seen.cautious_limit
    );
    assert!(
        seen.cautious_why.contains("not published") && seen.cautious_why.contains("1,048,576"),
        "{}",
        seen.cautious_why
    );
    assert!(
        seen.stage_tab_found,
        "the dossier on the closed program opens with its stages"
    );
}
