//! The end-to-end harness shared by the test binaries in `tests/`: start
//! `tauri-driver`, open the real app window over WebDriver, find elements by
//! their `data-testid`, take screenshots into `tests/artifacts/`, and answer
//! the native GTK file dialog the way a user would, with `xdotool`.
//!
//! Each test binary includes this module (`mod common;`) and uses only part
//! of it, hence the `dead_code` allowance. All binaries talk to one driver
//! port, so each holds a single test function: cargo runs test binaries one
//! after another, never side by side.
#![allow(dead_code)]

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use thirtyfour::prelude::*;
use thirtyfour::Capabilities;

/// The port tauri-driver listens on; WebKitWebDriver gets the next one.
/// `QUJAT_E2E_PORT` moves both, so two runs can share a machine.
pub fn driver_port() -> u16 {
    std::env::var("QUJAT_E2E_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(4444)
}

/// A running `tauri-driver`, stopped with SIGTERM on drop so it can end its
/// WebKitWebDriver child too.
pub struct TauriDriver {
    child: Child,
}

impl TauriDriver {
    pub fn start(data_dir: &Path) -> TauriDriver {
        TauriDriver::start_with_env(data_dir, &[])
    }

    /// Starts the driver with extra environment variables, which the app
    /// inherits (e.g. an unreachable D-Bus session: no keychain).
    pub fn start_with_env(data_dir: &Path, env: &[(&str, &str)]) -> TauriDriver {
        let child =
            Command::new(std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into()))
                .args(["--port", &driver_port().to_string()])
                .args(["--native-port", &(driver_port() + 1).to_string()])
                // The app inherits this environment from the driver.
                .env("QUJAT_DATA_DIR", data_dir)
                .env("LANG", "en_US.UTF-8")
                .envs(env.iter().copied())
                .stdout(Stdio::null())
                .stderr(Stdio::inherit())
                .spawn()
                .expect("tauri-driver must be installed: cargo install tauri-driver --locked");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", driver_port())).is_err() {
            assert!(
                Instant::now() < deadline,
                "tauri-driver did not listen on port {}",
                driver_port()
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

pub fn app_binary() -> PathBuf {
    // Built by `cargo test` itself: the app package's own binary.
    PathBuf::from(env!("CARGO_BIN_EXE_qujat-app"))
}

/// Waits (up to 30 s) until no process runs the app's binary. A window whose
/// session just ended may still be closing and holds the single-instance
/// name of its data folder; a new launch would be forwarded to it, get no
/// reply, and exit. A busy machine (CI) makes that gap seconds long.
fn wait_for_previous_app_to_exit() {
    let binary = app_binary();
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        let running = std::fs::read_dir("/proc")
            .map(|entries| {
                entries.flatten().any(|e| {
                    std::fs::read_link(e.path().join("exe")).is_ok_and(|exe| {
                        exe == binary
                            || exe
                                .to_string_lossy()
                                .starts_with(&*binary.to_string_lossy())
                    })
                })
            })
            .unwrap_or(false);
        if !running {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

pub async fn open_app() -> WebDriverResult<WebDriver> {
    wait_for_previous_app_to_exit();
    let mut caps = Capabilities::new();
    caps.set("browserName", "wry")?;
    caps.set(
        "tauri:options",
        serde_json::json!({ "application": app_binary() }),
    )?;
    let driver = WebDriver::new(format!("http://127.0.0.1:{}", driver_port()), caps).await?;
    driver
        .set_implicit_wait_timeout(Duration::from_secs(10))
        .await?;
    Ok(driver)
}

/// Where screenshots go: `tests/artifacts/`, or `QUJAT_E2E_ARTIFACTS`, so
/// two runs on one machine (see `driver_port`) keep their pictures apart.
pub fn artifacts() -> PathBuf {
    let dir = std::env::var_os("QUJAT_E2E_ARTIFACTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/artifacts"));
    std::fs::create_dir_all(&dir).expect("artifacts folder");
    dir
}

pub async fn shot(driver: &WebDriver, name: &str) -> WebDriverResult<()> {
    driver
        .screenshot(&artifacts().join(format!("{name}.png")))
        .await
}

/// Ends a session's run: on failure a screenshot named `failure`, then the
/// app is closed before anything is asserted (a panic with an open session
/// hangs thirtyfour), then the run's result or a panic naming the shot.
pub async fn finish<T>(driver: WebDriver, run: WebDriverResult<T>, failure: &str) -> T {
    if run.is_err() {
        let _ = shot(&driver, failure).await;
    }
    driver.quit().await.expect("close the app");
    run.unwrap_or_else(|e| panic!("the app run (see the {failure} screenshot): {e}"))
}

pub async fn by_id(driver: &WebDriver, test_id: &str) -> WebDriverResult<WebElement> {
    driver
        .find(By::Css(format!("[data-testid='{test_id}']")))
        .await
}

/// Waits (up to 20 s) until the requirement card shows `status`, returning
/// the last status seen.
pub async fn wait_for_status(
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

/// Clicks the element with `test_id` after bringing it to the middle of the
/// view. WebKitWebDriver does not scroll the page's own scroller (below the
/// fixed header) to reach an element inside a sticky column, and reports it
/// "not interactable"; a user just scrolls.
#[allow(dead_code)]
pub async fn click_id(driver: &WebDriver, test_id: &str) -> WebDriverResult<()> {
    let element = by_id(driver, test_id).await?;
    driver
        .execute(
            "arguments[0].scrollIntoView({ block: 'center', behavior: 'instant' });",
            vec![element.to_json()?],
        )
        .await?;
    element.click().await
}

/// Opens the header's Demo menu (embassy staff's actions: the demo, its
/// reset, presentation mode), unless it is open already.
pub async fn open_demo_menu(driver: &WebDriver) -> WebDriverResult<()> {
    let button = by_id(driver, "demo-menu").await?;
    if button.attr("aria-expanded").await?.as_deref() != Some("true") {
        button.click().await?;
    }
    by_id(driver, "demo-open").await?;
    Ok(())
}

/// Chooses an item of the Demo menu: `demo-open`, `demo-reset` or
/// `presentation-toggle`.
pub async fn demo_action(driver: &WebDriver, test_id: &str) -> WebDriverResult<()> {
    open_demo_menu(driver).await?;
    by_id(driver, test_id).await?.click().await
}

/// Answers the open GTK file dialog with `path`, as a user typing it would.
pub fn answer_file_dialog(path: &Path) {
    // Ctrl+L opens GTK's location field; type the path and confirm.
    answer_dialog("ctrl+l", &path.display().to_string());
}

/// Answers the open GTK save dialog with `path`. Its name field has the
/// focus and the suggested name, partly selected: select all of it first, so
/// the typed path replaces it rather than joining it.
pub fn answer_save_dialog(path: &Path) {
    answer_dialog("ctrl+a", &path.display().to_string());
}

fn xdotool(args: &[&str]) -> bool {
    Command::new("xdotool")
        .args(args)
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// The main window's title (`tauri.conf.json`).
const MAIN_WINDOW_TITLE: &str = "Qujat";

/// The title of an X window, empty when it has none.
fn window_name(id: &str) -> String {
    Command::new("xdotool")
        .args(["getwindowname", id])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

/// The app's mapped windows, oldest first.
fn visible_windows() -> Vec<String> {
    Command::new("xdotool")
        .args(["search", "--onlyvisible", "--class", "qujat-app"])
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Waits for a dialog of the app, gives it the keyboard, presses `first`,
/// types `text` and confirms with Return. Returns the dialog's window.
fn answer_dialog(first: &str, text: &str) -> String {
    // Wait for the dialog window (its title starts with the requirement's name
    // or "Open"), then give it the keyboard: there is no window manager in Xvfb.
    let deadline = Instant::now() + Duration::from_secs(15);
    let window = loop {
        // The dialog is the newest window with a title of its own: the main
        // window is titled "Qujat", and the webview's tooltips (the header's
        // buttons have `title`s) are windows of the app with no title, which
        // once took the keystrokes meant for the dialog.
        let dialog = visible_windows().into_iter().rfind(|id| {
            let name = window_name(id);
            !name.trim().is_empty() && name != MAIN_WINDOW_TITLE
        });
        if let Some(id) = dialog {
            break id;
        }
        assert!(Instant::now() < deadline, "the file dialog did not open");
        std::thread::sleep(Duration::from_millis(200));
    };
    std::thread::sleep(Duration::from_millis(700));
    assert!(
        xdotool(&["windowfocus", "--sync", &window]),
        "could not focus the file dialog"
    );
    assert!(xdotool(&["key", "--window", &window, first]));
    std::thread::sleep(Duration::from_millis(300));
    assert!(xdotool(&[
        "type", "--window", &window, "--delay", "15", text
    ]));
    std::thread::sleep(Duration::from_millis(300));
    assert!(xdotool(&["key", "--window", &window, "Return"]));
    window
}

/// A small, well-formed one-page PDF (with a correct cross-reference table),
/// so no check or inspection of the file can find fault with it.
#[allow(dead_code)]
pub fn one_page_pdf(text: &str) -> Vec<u8> {
    pdf_of_pages(&[text])
}

/// A well-formed PDF with one page per entry of `pages`, each showing its
/// text (18 pt Helvetica, not embedded: ASCII only).
#[allow(dead_code)]
pub fn pdf_of_pages(pages: &[&str]) -> Vec<u8> {
    // 1 catalog, 2 page tree, 3 font, then a page and its content per page.
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", 4 + 2 * i))
        .collect();
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    for (i, text) in pages.iter().enumerate() {
        let stream = format!("BT /F1 18 Tf 72 720 Td ({text}) Tj ET");
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {} 0 R /Resources << /Font << /F1 3 0 R >> >> >>",
            5 + 2 * i
        ));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{stream}\nendstream",
            stream.len()
        ));
    }
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

/// Shows the element with `test_id` (scrolled to the top of the view) and takes a screenshot.
#[allow(dead_code)]
pub async fn shot_of(driver: &WebDriver, test_id: &str, name: &str) -> WebDriverResult<()> {
    let element = by_id(driver, test_id).await?;
    // The page scrolls below the app's header; bring the element to its top.
    driver
        .execute(
            "const el = arguments[0];
             const page = document.querySelector('.scroller');
             page.scrollTop += el.getBoundingClientRect().top - page.getBoundingClientRect().top - 16;",
            vec![element.to_json()?],
        )
        .await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    shot(driver, name).await
}

/// Picks a language in the header's language menu.
pub async fn choose_language(driver: &WebDriver, code: &str) -> WebDriverResult<()> {
    driver
        .find(By::Css(format!("#language-select option[value='{code}']")))
        .await?
        .click()
        .await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    Ok(())
}

/// Sets a form control's value as a user's choice would.
pub async fn set_value(driver: &WebDriver, test_id: &str, value: &str) -> WebDriverResult<()> {
    let element = by_id(driver, test_id).await?;
    driver
        .execute(
            "const el = arguments[0];
             el.value = arguments[1];
             el.dispatchEvent(new Event(el.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }));",
            vec![element.to_json()?, serde_json::Value::from(value)],
        )
        .await?;
    Ok(())
}

/// Waits (up to 20 s) until the element's attribute reads `expected`.
pub async fn wait_attr(
    driver: &WebDriver,
    test_id: &str,
    attr: &str,
    expected: &str,
) -> WebDriverResult<String> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let seen = match by_id(driver, test_id).await {
            Ok(element) => element.attr(attr).await?.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if seen == expected || Instant::now() > deadline {
            return Ok(seen);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The element's rendered text, read in the page: WebKitWebDriver's own
/// element text has come back empty for a painted element in CI.
pub async fn text_of(driver: &WebDriver, test_id: &str) -> WebDriverResult<String> {
    let element = by_id(driver, test_id).await?;
    let text = driver
        .execute("return arguments[0].innerText;", vec![element.to_json()?])
        .await?;
    Ok(text.json().as_str().unwrap_or_default().to_owned())
}

/// Waits until `probe` says yes, for at most 30 s; returns whether it did.
pub async fn until<F, Fut>(mut probe: F) -> WebDriverResult<bool>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = WebDriverResult<bool>>,
{
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if probe().await? {
            return Ok(true);
        }
        if Instant::now() > deadline {
            return Ok(false);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Replaces a text field's content by typing, as a user would.
pub async fn type_into(driver: &WebDriver, test_id: &str, text: &str) -> WebDriverResult<()> {
    let field = by_id(driver, test_id).await?;
    field.clear().await?;
    field.send_keys(text).await
}

/// The element's attribute, or "" when it is not there (yet).
pub async fn attr_of(driver: &WebDriver, test_id: &str, attr: &str) -> WebDriverResult<String> {
    let found = driver
        .find_all(By::Css(format!("[data-testid='{test_id}']")))
        .await?;
    match found.first() {
        Some(element) => Ok(element.attr(attr).await?.unwrap_or_default()),
        None => Ok(String::new()),
    }
}
