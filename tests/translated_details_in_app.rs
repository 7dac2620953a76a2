//! End-to-end: no raw English in a Russian or Kazakh window. A rule update
//! that cannot reach its address says so in the user's language, with the
//! network library's words only behind an expandable "details" line. (The
//! `data` folder of a package chosen for verifying is explained through the
//! real `qujat` binary in crates/qujat-cli/tests/translated_details.rs: GTK's
//! folder dialog under Xvfb cannot be driven to choose a folder.)
//!
//! Needs the e2e environment (X display, tauri-driver, xdotool): run with
//! `--include-ignored`. Screenshots go to `tests/artifacts/details-*.png`.

mod common;

use std::time::{Duration, Instant};

use common::choose_language;
use common::{by_id, click_id, open_app, shot, TauriDriver};
use thirtyfour::prelude::*;

const PILOT_ID: &str = "kz-ai-pilot";

#[derive(Debug, Default)]
struct Seen {
    offline: Vec<(String, String, String, bool)>,
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs an X display, tauri-driver and xdotool: run with --include-ignored"]
async fn technical_details_never_replace_the_translated_message() {
    let home = tempfile::tempdir().expect("temp dir");
    let data_dir = home.path().join("data");
    std::env::remove_var("QUJAT_RULES_URL");
    let _driver_process = TauriDriver::start(&data_dir);
    let driver = open_app().await.expect("session with the app");
    let run = async {
        let mut seen = Seen::default();
        // A rule update that cannot reach its address (nothing listens there).
        click_id(&driver, "settings-open").await?;
        by_id(&driver, &format!("rules-pack-{PILOT_ID}")).await?;
        let url = by_id(&driver, "rules-url").await?;
        url.clear().await?;
        url.send_keys("http://127.0.0.1:9/qujat/rules").await?;
        for lang in ["ru", "kk", "en"] {
            choose_language(&driver, lang).await?;
            click_id(&driver, "rules-check").await?;
            tokio::time::sleep(Duration::from_millis(300)).await;
            let deadline = Instant::now() + Duration::from_secs(60);
            while !by_id(&driver, "rules-check").await?.is_enabled().await?
                && Instant::now() < deadline
            {
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            let outcome = by_id(&driver, &format!("rules-outcome-{PILOT_ID}")).await?;
            outcome.scroll_into_view().await?;
            let details = by_id(&driver, &format!("rules-outcome-{PILOT_ID}-details")).await?;
            let summary = details.find(By::Css("summary")).await?;
            let closed = summary.text().await?;
            let open_before = details.attr("open").await?.is_some();
            summary.click().await?;
            tokio::time::sleep(Duration::from_millis(300)).await;
            let opened = details.find(By::Css("code")).await?.text().await?;
            let open_after = details.attr("open").await?.is_some();
            shot(&driver, &format!("details-02-rules-offline-{lang}")).await?;
            // The summary line alone, without the opened detail.
            let message = outcome.text().await?.replace(&opened, "");
            seen.offline.push((
                lang.to_owned(),
                message,
                format!("{closed}|{opened}"),
                open_before || !open_after,
            ));
        }
        WebDriverResult::Ok(seen)
    }
    .await;
    driver.quit().await.expect("close the app");
    let seen = run.expect("the run");

    for (lang, message, details, open_before) in &seen.offline {
        let words = match lang.as_str() {
            "ru" => "Qujat не может связаться",
            "kk" => "қосыла алмайды",
            _ => "Qujat cannot reach",
        };
        assert!(message.contains(words), "{lang}: {message}");
        assert!(
            !message.contains("error sending request")
                && !message.contains("error trying to connect"),
            "{lang}: the library's English stays out of the message: {message}"
        );
        assert!(
            !open_before,
            "{lang}: the details start folded and open on a click"
        );
        let (summary, opened) = details.split_once('|').expect("two texts");
        let label = match lang.as_str() {
            "ru" => "Подробности",
            "kk" => "Толығырақ",
            _ => "Details",
        };
        assert_eq!(summary.trim(), label, "{lang}");
        assert!(
            opened.contains("127.0.0.1") || opened.contains("error"),
            "{lang}: the technical words are behind the details line: {opened}"
        );
    }
}
