//! End-to-end: the app's binary is replaced while it runs (an upgrade). The
//! next inspection does not say "Reinstall Qujat" with a "(deleted)" path:
//! it says Qujat was updated and to restart it, in the user's language, with
//! a button that restarts it (the official process plugin), and the
//! restarted app is the new binary.
//!
//! Needs the e2e environment (X display, tauri-driver, xdotool): run with
//! `--include-ignored`. Screenshots go to `tests/artifacts/restart-*.png`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::choose_language;
use common::{
    answer_file_dialog, app_binary, by_id, click_id, driver_port, one_page_pdf, shot, TauriDriver,
};
use thirtyfour::prelude::*;

const NAME: &str = "Dana Upgradeova";

/// A session with the app binary at `binary` (a copy this test may replace).
async fn open_copy(binary: &Path) -> WebDriverResult<WebDriver> {
    let mut caps = Capabilities::new();
    caps.set("browserName", "wry")?;
    caps.set(
        "tauri:options",
        serde_json::json!({ "application": binary }),
    )?;
    let driver = WebDriver::new(format!("http://127.0.0.1:{}", driver_port()), caps).await?;
    driver
        .set_implicit_wait_timeout(Duration::from_secs(10))
        .await?;
    Ok(driver)
}

/// The ids of processes whose command line starts with `binary`.
fn processes_of(binary: &Path) -> Vec<u32> {
    let out = Command::new("pgrep")
        .args(["-f", &format!("^{}", binary.display())])
        .output()
        .expect("pgrep");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .collect()
}

/// Whether process `pid` runs a binary that was replaced since it started.
fn runs_replaced_binary(pid: u32) -> bool {
    std::fs::read_link(format!("/proc/{pid}/exe"))
        .map(|p| p.to_string_lossy().ends_with(" (deleted)"))
        .unwrap_or(false)
}

/// The error banner's text, read in the page: WebKitWebDriver's element
/// text came back empty for it now and then.
async fn banner_text(driver: &WebDriver) -> WebDriverResult<String> {
    let text = driver
        .execute(
            "const el = document.querySelector(\"[data-testid='error-banner']\");
             return el ? el.innerText : '';",
            vec![],
        )
        .await?;
    Ok(text.json().as_str().unwrap_or_default().to_owned())
}

/// Ends every process of the binary copy when the test ends, however it
/// ends: a restarted app left behind would keep the test run's output open.
struct EndsCopies(PathBuf);

impl Drop for EndsCopies {
    fn drop(&mut self) {
        for pid in processes_of(&self.0) {
            let _ = Command::new("kill").arg(pid.to_string()).status();
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs an X display, tauri-driver and xdotool: run with --include-ignored"]
async fn an_app_updated_under_it_offers_a_restart() {
    let home = tempfile::tempdir().expect("temp dir");
    let data_dir = home.path().join("data");
    let bin_dir = home.path().join("bin");
    std::fs::create_dir_all(&bin_dir).expect("bin");
    let binary: PathBuf = bin_dir.join("qujat-app");
    std::fs::copy(app_binary(), &binary).expect("a copy of the app");
    let _ends = EndsCopies(binary.clone());
    let cv = home.path().join("CV.pdf");
    std::fs::write(&cv, one_page_pdf("Curriculum vitae")).expect("cv");

    {
        let mut ws = qujat_core::Workspace::open(&data_dir).expect("the data folder");
        ws.create_dossier("kz-ai-pilot", NAME, chrono::Utc::now())
            .expect("a dossier");
    }

    let _driver_process = TauriDriver::start(&data_dir);
    let driver = open_copy(&binary).await.expect("session with the app");
    let run = async {
        by_id(&driver, "dossier-item").await?.click().await?;
        by_id(&driver, "dossier-title").await?;
        let before = processes_of(&binary);

        // The upgrade: a new file is renamed over the running binary.
        let next = bin_dir.join("qujat-app.new");
        std::fs::copy(app_binary(), &next).expect("the new version");
        std::fs::rename(&next, &binary).expect("replace");

        click_id(&driver, "stage-tab-astana-hub").await?;
        by_id(&driver, "attach-cv").await?.click().await?;
        let file = cv.clone();
        tokio::task::spawn_blocking(move || answer_file_dialog(&file))
            .await
            .expect("dialog driver");
        by_id(&driver, "error-banner").await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let mut texts = vec![banner_text(&driver).await?];
        shot(&driver, "restart-01-updated-en").await?;
        for lang in ["ru", "kk"] {
            choose_language(&driver, lang).await?;
            texts.push(banner_text(&driver).await?);
            shot(&driver, &format!("restart-01-updated-{lang}")).await?;
        }
        choose_language(&driver, "en").await?;
        // The app restarts under the click, so WebDriver's answer to it
        // may be an error: what counts is the processes, checked below.
        let _ = click_id(&driver, "restart-app").await;
        WebDriverResult::Ok((before, texts))
    }
    .await;
    let (before, texts) = run.expect("the run");

    // The old process ends and a new one of the (new) binary starts.
    let deadline = Instant::now() + Duration::from_secs(30);
    let fresh = loop {
        let now = processes_of(&binary);
        let fresh: Vec<u32> = now
            .iter()
            .copied()
            .filter(|p| !before.contains(p))
            .collect();
        if !fresh.is_empty() && before.iter().all(|p| !now.contains(p)) {
            break fresh;
        }
        assert!(
            Instant::now() < deadline,
            "no restart: before {before:?}, now {now:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let replaced: Vec<bool> = fresh.iter().map(|p| runs_replaced_binary(*p)).collect();
    for pid in &fresh {
        let _ = Command::new("kill").arg(pid.to_string()).status();
    }
    let _ = driver.quit().await;

    assert!(!before.is_empty(), "the app ran from the copy");
    assert!(
        texts[0].contains("Qujat was updated") && texts[0].contains("Restart"),
        "{}",
        texts[0]
    );
    assert!(
        !texts[0].contains("(deleted)") && !texts[0].contains("Reinstall"),
        "{}",
        texts[0]
    );
    assert!(
        texts[1].contains("Qujat обновился") && texts[1].contains("Перезапустить"),
        "{}",
        texts[1]
    );
    assert!(
        texts[2].contains("жаңартылды") && texts[2].contains("қайта іске қосу"),
        "{}",
        texts[2]
    );
    assert!(
        replaced.iter().all(|r| !r),
        "the restarted app runs the new binary: {replaced:?}"
    );
}
