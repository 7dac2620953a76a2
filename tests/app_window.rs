//! End-to-end: the real app window, driven over WebDriver.
//!
//! `tauri-driver` (from crates.io) starts Debian's `WebKitWebDriver`, which
//! launches the debug build of the app in an X display (Xvfb in CI). The
//! native file dialog is a real GTK window; the test answers it the way a
//! user would, by typing a path into it, with `xdotool`.
//!
//! These tests need that environment, so they are `#[ignore]`d in a plain
//! `cargo test`; `scripts/test.sh` (the README's test command, run by CI)
//! sets the environment up and runs them with `--include-ignored`.
//! Screenshots of every screen visited go to `tests/artifacts/`.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use thirtyfour::prelude::*;
use thirtyfour::Capabilities;

const DRIVER_PORT: u16 = 4444;

/// A running `tauri-driver`, stopped with SIGTERM on drop so it can end its
/// WebKitWebDriver child too.
struct TauriDriver {
    child: Child,
}

impl TauriDriver {
    fn start(data_dir: &Path) -> TauriDriver {
        let child =
            Command::new(std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into()))
                .args(["--port", &DRIVER_PORT.to_string()])
                // The app inherits this environment from the driver.
                .env("QUJAT_DATA_DIR", data_dir)
                .env("LANG", "en_US.UTF-8")
                .stdout(Stdio::null())
                .stderr(Stdio::inherit())
                .spawn()
                .expect("tauri-driver must be installed: cargo install tauri-driver --locked");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", DRIVER_PORT)).is_err() {
            assert!(
                Instant::now() < deadline,
                "tauri-driver did not listen on port {DRIVER_PORT}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        TauriDriver { child }
    }
}

impl Drop for TauriDriver {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

fn app_binary() -> PathBuf {
    // Built by `cargo test` itself: the app package's own binary.
    PathBuf::from(env!("CARGO_BIN_EXE_qujat-app"))
}

async fn open_app() -> WebDriverResult<WebDriver> {
    let mut caps = Capabilities::new();
    caps.set("browserName", "wry")?;
    caps.set(
        "tauri:options",
        serde_json::json!({ "application": app_binary() }),
    )?;
    let driver = WebDriver::new(format!("http://127.0.0.1:{DRIVER_PORT}"), caps).await?;
    driver
        .set_implicit_wait_timeout(Duration::from_secs(10))
        .await?;
    Ok(driver)
}

fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/artifacts");
    std::fs::create_dir_all(&dir).expect("artifacts folder");
    dir
}

async fn shot(driver: &WebDriver, name: &str) -> WebDriverResult<()> {
    driver
        .screenshot(&artifacts().join(format!("{name}.png")))
        .await
}

async fn by_id(driver: &WebDriver, test_id: &str) -> WebDriverResult<WebElement> {
    driver
        .find(By::Css(format!("[data-testid='{test_id}']")))
        .await
}

/// Waits until the requirement card shows `status`, returning the last status seen.
async fn wait_for_status(
    driver: &WebDriver,
    requirement: &str,
    status: &str,
) -> WebDriverResult<String> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let card = by_id(driver, &format!("requirement-{requirement}")).await?;
        let seen = card.attr("data-status").await?.unwrap_or_default();
        if seen == status || Instant::now() > deadline {
            return Ok(seen);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Answers the open GTK file dialog with `path`, as a user typing it would.
fn answer_file_dialog(path: &Path) {
    let run = |args: &[&str]| {
        Command::new("xdotool")
            .args(args)
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    };
    // Wait for the dialog window (its title starts with the requirement's name
    // or "Open"), then give it the keyboard: there is no window manager in Xvfb.
    let deadline = Instant::now() + Duration::from_secs(15);
    let window = loop {
        let out = Command::new("xdotool")
            .args(["search", "--onlyvisible", "--class", "qujat-app"])
            .output();
        let ids: Vec<String> = out
            .map(|o| {
                String::from_utf8_lossy(&o.stdout)
                    .lines()
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        // The main window is the first mapped one; the dialog is mapped later.
        if ids.len() >= 2 {
            break ids.last().cloned().unwrap_or_default();
        }
        assert!(Instant::now() < deadline, "the file dialog did not open");
        std::thread::sleep(Duration::from_millis(200));
    };
    std::thread::sleep(Duration::from_millis(700));
    assert!(
        run(&["windowfocus", "--sync", &window]),
        "could not focus the file dialog"
    );
    // Ctrl+L opens GTK's location field; type the path and confirm.
    assert!(run(&["key", "--window", &window, "ctrl+l"]));
    std::thread::sleep(Duration::from_millis(300));
    assert!(run(&[
        "type",
        "--window",
        &window,
        "--delay",
        "15",
        &path.display().to_string()
    ]));
    std::thread::sleep(Duration::from_millis(300));
    assert!(run(&["key", "--window", &window, "Return"]));
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs an X display, tauri-driver and xdotool: run scripts/test.sh"]
async fn create_attach_restart_and_find_everything_kept() {
    let home = tempfile::tempdir().expect("temp dir");
    let data_dir = home.path().join("data");
    let cv = home.path().join("Curriculum vitae.pdf");
    std::fs::write(&cv, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n").expect("fixture");

    let _driver_process = TauriDriver::start(&data_dir);

    // First run: create a dossier, attach the CV through the native dialog.
    let driver = open_app().await.expect("session with the app");
    let first_run = async {
        shot(&driver, "01-start").await?;
        if by_id(&driver, "applicant-name").await.is_err() {
            by_id(&driver, "new-dossier").await?.click().await?;
        }
        by_id(&driver, "program-option-kz-ai-pilot")
            .await?
            .click()
            .await?;
        by_id(&driver, "applicant-name")
            .await?
            .send_keys("Aigerim Test")
            .await?;
        shot(&driver, "02-new-dossier").await?;
        by_id(&driver, "create-dossier").await?.click().await?;
        let title = by_id(&driver, "dossier-title").await?.text().await?;
        by_id(&driver, "stage-tab-astana-hub")
            .await?
            .click()
            .await?;
        let before = wait_for_status(&driver, "cv", "missing").await?;
        shot(&driver, "03-checklist").await?;
        by_id(&driver, "attach-cv").await?.click().await?;
        let cv = cv.clone();
        tokio::task::spawn_blocking(move || answer_file_dialog(&cv))
            .await
            .expect("dialog driver");
        let after = wait_for_status(&driver, "cv", "ok").await?;
        shot(&driver, "04-attached").await?;
        WebDriverResult::Ok((title, before, after))
    }
    .await;
    // Quit before asserting: a panic with an open session hangs thirtyfour.
    driver.quit().await.expect("close the app");
    let (title, before, after) = first_run.expect("first run");
    assert!(
        title.contains("Aigerim Test"),
        "the dossier page names the applicant: {title}"
    );
    assert_eq!(before, "missing", "a new dossier has no CV");
    assert_eq!(after, "ok", "attaching a PDF CV makes the requirement ok");

    // The user deletes the original: Qujat kept its own copy.
    std::fs::remove_file(&cv).expect("delete the original");

    // Second run: the same data folder, everything still there.
    let driver = open_app().await.expect("second session");
    let second_run = async {
        let items = driver
            .find_all(By::Css("[data-testid='dossier-item']"))
            .await?;
        let count = items.len();
        if let Some(item) = items.first() {
            item.click().await?;
        }
        by_id(&driver, "stage-tab-astana-hub")
            .await?
            .click()
            .await?;
        let status = wait_for_status(&driver, "cv", "ok").await?;
        let text = by_id(&driver, "requirement-cv").await?.text().await?;
        shot(&driver, "05-after-restart").await?;
        WebDriverResult::Ok((count, status, text))
    }
    .await;
    driver.quit().await.expect("close the app");
    let (count, status, text) = second_run.expect("second run");
    assert_eq!(count, 1, "the dossier survives a restart");
    assert_eq!(
        status, "ok",
        "the attached CV survives a restart and the loss of the original"
    );
    assert!(
        text.contains("Curriculum vitae.pdf"),
        "the card names the attached file: {text}"
    );
}
