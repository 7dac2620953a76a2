//! End-to-end: one app per data folder. A second launch on the folder the
//! window has open ends at once and brings that window forward, which says
//! so; when the window is still waiting for its passphrase, the unlock
//! screen says where to type it.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{by_id, open_app, shot, TauriDriver};
use thirtyfour::prelude::*;

const PASSPHRASE: &str = "correct horse battery staple";

/// Launches the app a second time on `data_dir`, as a double click would,
/// and returns how it ended: it must end by itself, quickly.
fn launch_again(data_dir: &Path) -> std::process::ExitStatus {
    let mut second = Command::new(common::app_binary())
        .env("QUJAT_DATA_DIR", data_dir)
        .env("LANG", "en_US.UTF-8")
        .env_remove("QUJAT_PASSPHRASE")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("launch the app again");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = second.try_wait().expect("wait") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = second.kill();
            let _ = second.wait();
            panic!("the second launch opened a second app instead of ending");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The second launch handed over and ended: exit 0, or (about one run in
/// eight under Xvfb) a SIGSEGV inside the plugin's `exit` after handing
/// over, an upstream crash in GTK's exit path; either way no second window
/// stayed open, which `launch_again`'s deadline checks.
fn ended_by_itself(status: std::process::ExitStatus) -> bool {
    use std::os::unix::process::ExitStatusExt;
    status.success() || status.signal() == Some(11)
}

/// The text of an element once it shows any (a toast fades in, and
/// WebDriver reads no text while it is still transparent).
async fn text_of(driver: &WebDriver, test_id: &str) -> WebDriverResult<String> {
    let element = by_id(driver, test_id).await?;
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let text = element.text().await?;
        if !text.is_empty() || Instant::now() > deadline {
            return Ok(text);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The hint toast's text once it says `words` (the toast of an earlier
/// launch, in another language, may still be fading out).
async fn hint_saying(driver: &WebDriver, words: &str) -> WebDriverResult<String> {
    let deadline = Instant::now() + Duration::from_secs(8);
    loop {
        let text = text_of(driver, "hint-toast").await?;
        if text.contains(words) || Instant::now() > deadline {
            return Ok(text);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs an X display, tauri-driver and a D-Bus session: run scripts/test.sh"]
async fn a_second_launch_brings_the_first_window_forward() {
    let home = tempfile::tempdir().expect("temp dir");
    let data_dir = home.path().join("data");

    // Open: the first window takes the launch and says so.
    let driver_process =
        TauriDriver::start_with_env(&data_dir, &[("QUJAT_PASSPHRASE", PASSPHRASE)]);
    let driver = open_app().await.expect("session with the app");
    let open_case = async {
        // The start screen is up (a first run opens on the new-dossier form).
        if by_id(&driver, "applicant-name").await.is_err() {
            by_id(&driver, "new-dossier").await?;
        }
        // Once in each language, chosen in the header as a user would.
        let mut seen = Vec::new();
        for (lang, words) in [
            ("en", "already open"),
            ("ru", "уже открыт"),
            ("kk", "ашық тұр"),
        ] {
            if lang != "en" {
                driver
                    .find(By::Css(format!("#language-select option[value='{lang}']")))
                    .await?
                    .click()
                    .await?;
            }
            let dir = data_dir.clone();
            let status = tokio::task::spawn_blocking(move || launch_again(&dir))
                .await
                .expect("second launch");
            let hint = hint_saying(&driver, words).await?;
            tokio::time::sleep(Duration::from_millis(300)).await;
            shot(&driver, &format!("single-instance-01-open-{lang}")).await?;
            seen.push((status, hint, words));
        }
        WebDriverResult::Ok(seen)
    }
    .await;
    driver.quit().await.expect("close the app");
    drop(driver_process);
    for (status, hint, words) in open_case.expect("open case") {
        assert!(
            ended_by_itself(status),
            "the second launch ended: {status:?}"
        );
        assert!(hint.contains(words), "the window says so: {hint}");
    }

    // Locked: the same folder, now waiting for its passphrase.
    let _driver_process = TauriDriver::start(&data_dir);
    let driver = open_app().await.expect("second session");
    let locked_case = async {
        by_id(&driver, "unlock-view").await?;
        let dir = data_dir.clone();
        let status = tokio::task::spawn_blocking(move || launch_again(&dir))
            .await
            .expect("second launch");
        let note = text_of(&driver, "unlock-already-open").await?;
        // Let WebKit paint what it just rendered before the shot.
        tokio::time::sleep(Duration::from_millis(500)).await;
        shot(&driver, "single-instance-02-locked").await?;
        WebDriverResult::Ok((status, note))
    }
    .await;
    driver.quit().await.expect("close the app");
    let (status, note) = locked_case.expect("locked case");
    assert!(ended_by_itself(status), "{status:?}");
    assert!(
        note.contains("already open") && note.contains("passphrase"),
        "the unlock screen says where to type: {note}"
    );
}
