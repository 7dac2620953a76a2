//! End-to-end: every screen of the app in every language and theme, each
//! checked with axe-core and saved as a screenshot, and the main screens at
//! 200% zoom (see `tests/common/mod.rs` for the harness).
//!
//! For each of en/ru/kk × light/dark the test starts the real app on an
//! empty data folder, picks the theme and the language in the header as a
//! user would, and walks the whole flow: the first run, the new dossier
//! form, the new dossier, the list, the demo dossier (checklist, stepper,
//! what's next, a document with its findings, its dates form, the package
//! panel, deadlines, the case timeline, verifying a package), the print
//! view, presentation mode, About and the header's Demo menu open; the
//! header must keep to one row. Every screen is saved to
//! `tests/artifacts/screens/<lang>-<theme>/NN-name.png` and checked with
//! axe-core (`node_modules/axe-core`, run inside the window): the test fails
//! on any serious or critical violation, listing rule, impact and elements.
//!
//! Once per language, the light walk also zooms to 200% with the keyboard
//! (Ctrl and = five times, the webview's own zoom) and checks that nothing
//! overflows sideways, that the header takes at most a fifth of the window,
//! and that the next action, the header's buttons and the language and
//! theme choices are still on screen and clickable.
//!
//! One test function: every binary here talks to the same driver port.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{
    app_binary, artifacts, by_id, click_id, demo_action, driver_port, open_demo_menu, TauriDriver,
};
use serde_json::Value;
use thirtyfour::prelude::*;
use thirtyfour::Capabilities;

const LANGUAGES: [&str; 3] = ["en", "ru", "kk"];
const THEMES: [&str; 2] = ["light", "dark"];
/// axe-core's impacts that fail the test.
const FAILING: [&str; 2] = ["serious", "critical"];

/// What one walk saw, judged after the app has closed.
#[derive(Debug, Default)]
struct Seen {
    /// Screens checked by axe, with the number of rules that passed on each.
    checked: Vec<(String, usize)>,
    /// Serious and critical violations: "screen: rule (impact): targets".
    violations: Vec<String>,
    /// Moderate and minor ones, reported but not failing.
    lesser: Vec<String>,
    /// Screens where axe's colour-contrast rule passed, and elements whose
    /// contrast it could not decide (text over images or gradients).
    contrast_checked: usize,
    contrast_unsure: Vec<String>,
    /// axe flagged the low-contrast text put on the page to test it.
    canary_flagged: bool,
    /// axe runs that did not complete.
    axe_errors: Vec<String>,
    /// The theme on <html> and the page's background colour after the choice.
    theme_attr: String,
    background: String,
    /// The language on <html> after the choice.
    lang_attr: String,
    /// Screens that did not appear.
    missing: Vec<String>,
    /// The header at 100%: screens where it took more than one row.
    header_problems: Vec<String>,
    /// 200% zoom: problems found (overflow, hidden controls).
    zoom_problems: Vec<String>,
    zoom_checked: usize,
    /// The page's width in CSS pixels at 100% and after zooming to 200%.
    zoom_widths: (i64, i64),
    /// Screenshots written.
    shots: Vec<PathBuf>,
}

/// A folder of screenshots and the axe-core source, shared by the screens.
struct Walk<'a> {
    driver: &'a WebDriver,
    dir: PathBuf,
    label: String,
    axe: &'a str,
    n: usize,
    seen: Seen,
}

impl Walk<'_> {
    /// Saves the window as the next numbered screenshot and checks the page with axe.
    async fn screen(&mut self, name: &str) -> WebDriverResult<()> {
        self.n += 1;
        let screen = format!("{:02}-{name}", self.n);
        // Let transitions and focus changes settle before the picture.
        tokio::time::sleep(Duration::from_millis(250)).await;
        let path = self.dir.join(format!("{screen}.png"));
        self.driver.screenshot(&path).await?;
        self.seen.shots.push(path);
        let label = format!("{}/{screen}", self.label);
        match run_axe(self.driver, self.axe).await? {
            Ok(result) => self.take(&label, &result),
            Err(error) => self.seen.axe_errors.push(format!("{label}: {error}")),
        }
        Ok(())
    }

    /// Records an axe result: which rules passed and what was violated.
    fn take(&mut self, label: &str, result: &Value) {
        let passes = result["passes"].as_u64().unwrap_or(0) as usize;
        let engine = result["engine"].as_str().unwrap_or_default();
        if engine.is_empty() || passes == 0 {
            self.seen
                .axe_errors
                .push(format!("{label}: axe did not run ({result})"));
            return;
        }
        self.seen.checked.push((label.to_owned(), passes));
        if result["contrast"].as_bool() == Some(true) {
            self.seen.contrast_checked += 1;
        }
        for target in result["unsure"].as_array().into_iter().flatten() {
            self.seen
                .contrast_unsure
                .push(format!("{label}: {}", target.as_str().unwrap_or_default()));
        }
        for violation in result["violations"].as_array().into_iter().flatten() {
            let impact = violation["impact"].as_str().unwrap_or("unknown");
            let mut line = format!(
                "{label}: {} ({impact}) {}:",
                violation["id"].as_str().unwrap_or("?"),
                violation["help"].as_str().unwrap_or("")
            );
            for node in violation["nodes"].as_array().into_iter().flatten() {
                let _ = write!(line, "\n      {} — {}", node["target"], node["summary"]);
            }
            if FAILING.contains(&impact) {
                self.seen.violations.push(line);
            } else {
                self.seen.lesser.push(line);
            }
        }
    }

    /// Notes a screen that did not appear (the walk goes on).
    fn missing(&mut self, what: &str, error: &WebDriverError) {
        self.seen
            .missing
            .push(format!("{}: {what}: {error}", self.label));
    }
}

/// Injects axe-core once per page and runs it on the whole document.
/// Returns the summary, or what went wrong inside the page.
async fn run_axe(driver: &WebDriver, source: &str) -> WebDriverResult<Result<Value, String>> {
    let loaded = driver
        .execute("return typeof window.axe === 'object';", vec![])
        .await?;
    if loaded.json().as_bool() != Some(true) {
        driver.execute(source, vec![]).await?;
    }
    let result = driver
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
            window.axe
              .run(document, { resultTypes: ["violations"] })
              .then((r) => done({
                engine: r.testEngine && r.testEngine.version,
                passes: r.passes.length,
                contrast: r.passes.some((p) => p.id === "color-contrast"),
                unsure: r.incomplete
                  .filter((i) => i.id === "color-contrast")
                  .flatMap((i) => i.nodes.map((n) => n.target.join(" ")))
                  .slice(0, 20),
                violations: r.violations.map((v) => ({
                  id: v.id,
                  impact: v.impact,
                  help: v.help,
                  nodes: v.nodes.slice(0, 8).map((n) => ({
                    target: n.target.join(" "),
                    summary: (n.failureSummary || "").replace(/\s+/g, " ").slice(0, 300),
                  })),
                })),
              }))
              .catch((e) => done({ error: String(e) }));"#,
            vec![],
        )
        .await?;
    let value = result.json().clone();
    Ok(match value.get("error") {
        Some(error) => Err(error.to_string()),
        None => Ok(value),
    })
}

/// Proves the check can fail: axe must flag grey text on grey, put on the
/// page for a moment, as a serious colour-contrast violation.
async fn axe_flags_poor_contrast(driver: &WebDriver) -> WebDriverResult<bool> {
    let flagged = driver
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
            const canary = document.createElement("p");
            canary.textContent = "Low contrast canary";
            canary.style.cssText = "color:#8a8a8a;background:#999;font-size:16px";
            document.querySelector("main").append(canary);
            window.axe
              .run(canary, { runOnly: ["color-contrast"] })
              .then((r) => done(r.violations.some((v) => v.id === "color-contrast" && v.impact === "serious")))
              .catch(() => done(false))
              .finally(() => canary.remove());"#,
            vec![],
        )
        .await?;
    Ok(flagged.json().as_bool() == Some(true))
}

/// Picks an option of a header select the way a user does, by clicking it.
async fn choose(driver: &WebDriver, select: &str, value: &str) -> WebDriverResult<()> {
    driver
        .find(By::Css(format!("#{select} option[value='{value}']")))
        .await?
        .click()
        .await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    Ok(())
}

/// Brings the element to the top of the page's scroller (below the header).
async fn show(driver: &WebDriver, element: &WebElement) -> WebDriverResult<()> {
    driver
        .execute(
            "const el = arguments[0];
             const page = document.querySelector('.scroller');
             page.scrollTop += el.getBoundingClientRect().top - page.getBoundingClientRect().top - 16;",
            vec![element.to_json()?],
        )
        .await?;
    Ok(())
}

async fn show_id(driver: &WebDriver, test_id: &str) -> WebDriverResult<()> {
    let element = by_id(driver, test_id).await?;
    show(driver, &element).await
}

/// Waits until `script` (returning a boolean) is true, for at most 30 s.
async fn until(driver: &WebDriver, script: &str) -> WebDriverResult<bool> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if driver.execute(script, vec![]).await?.json().as_bool() == Some(true) {
            return Ok(true);
        }
        if Instant::now() > deadline {
            return Ok(false);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// At emulated 200% zoom: what overflows sideways, and whether each control
/// in `controls` is on screen and the topmost element at its centre.
async fn zoom_problems(
    driver: &WebDriver,
    screen: &str,
    controls: &[&str],
) -> WebDriverResult<Vec<String>> {
    let found = driver
        .execute(
            r#"const problems = [];
            const wide = (el, name) => {
              if (el && el.scrollWidth > el.clientWidth + 1) {
                problems.push(`${name} is ${el.scrollWidth}px wide in ${el.clientWidth}px`);
              }
            };
            wide(document.scrollingElement, "the page");
            wide(document.querySelector(".scroller"), "the main content");
            wide(document.querySelector(".app-header"), "the header");
            // Anything sticking out of the window on the right (or left).
            const width = document.documentElement.clientWidth;
            for (const el of document.querySelectorAll("main *, .app-header *")) {
              const r = el.getBoundingClientRect();
              if (r.width === 0 || r.height === 0) continue;
              if (r.right > width + 1 || r.left < -1) {
                const id = el.dataset.testid || el.id || el.className || el.tagName;
                problems.push(`${el.tagName.toLowerCase()} "${id}" spans ${Math.round(r.left)}–${Math.round(r.right)}px of ${width}px`);
                if (problems.length > 12) break;
              }
            }
            const header = document.querySelector(".app-header").getBoundingClientRect();
            if (header.height > innerHeight / 5) {
              problems.push(`the header is ${Math.round(header.height)}px of the window's ${innerHeight}px`);
            }
            for (const id of arguments[0]) {
              const el = document.querySelector(`[data-testid='${id}']`);
              if (!el) { problems.push(`${id} is not there`); continue; }
              el.scrollIntoView({ block: "center", behavior: "instant" });
              const r = el.getBoundingClientRect();
              const x = r.left + r.width / 2, y = r.top + r.height / 2;
              const top = document.elementFromPoint(x, y);
              if (r.width === 0 || r.right > width + 1 || r.left < 0) {
                problems.push(`${id} is off screen (${Math.round(r.left)}–${Math.round(r.right)}px of ${width}px)`);
              } else if (!top || !(el === top || el.contains(top))) {
                problems.push(`${id} is covered by ${top ? top.tagName + "." + top.className : "nothing"}`);
              }
            }
            return problems;"#,
            vec![serde_json::json!(controls)],
        )
        .await?;
    Ok(found
        .json()
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| format!("{screen}: {}", p.as_str().unwrap_or_default()))
        .collect())
}

/// The header's problems: its brand and tools not on one row, or more than
/// `fraction` of the window's height.
async fn header_problems(
    driver: &WebDriver,
    screen: &str,
    fraction: f64,
) -> WebDriverResult<Vec<String>> {
    let found = driver
        .execute(
            r#"const problems = [];
            const header = document.querySelector(".app-header").getBoundingClientRect();
            if (header.height > innerHeight * arguments[0]) {
              problems.push(`the header is ${Math.round(header.height)}px of the window's ${innerHeight}px`);
            }
            const parts = [...document.querySelectorAll(".app-header .brand, .app-header .tools > *")]
              .map((el) => el.getBoundingClientRect())
              .filter((r) => r.width > 0);
            const middles = parts.map((r) => r.top + r.height / 2);
            if (Math.max(...middles) - Math.min(...middles) > 8) {
              problems.push(`the header takes more than one row (${Math.round(header.height)}px)`);
            }
            return problems;"#,
            vec![serde_json::json!(fraction)],
        )
        .await?;
    Ok(found
        .json()
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| format!("{screen}: {}", p.as_str().unwrap_or_default()))
        .collect())
}

/// Zooms the page with the keyboard as a user does: each Ctrl and = adds
/// 20% (the webview's own zoom, which the media queries see), Ctrl and 0
/// goes back to 100%. Returns the page's width in CSS pixels afterwards.
async fn zoom(driver: &WebDriver, key: &str, times: usize) -> WebDriverResult<i64> {
    for _ in 0..times {
        driver
            .action_chain()
            .key_down(Key::Control)
            .send_keys(key)
            .key_up(Key::Control)
            .perform()
            .await?;
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_millis(400)).await;
    let width = driver
        .execute("return document.documentElement.clientWidth;", vec![])
        .await?;
    Ok(width.json().as_i64().unwrap_or(0))
}

/// The whole flow in one language and theme.
async fn walk(walk: &mut Walk<'_>, lang: &str, theme: &str, zoom: bool) -> WebDriverResult<()> {
    let driver = walk.driver;

    // First run: the welcome and the new dossier form on an empty store.
    by_id(driver, "applicant-name").await?;
    choose(driver, "theme-select", theme).await?;
    choose(driver, "language-select", lang).await?;
    let page = driver
        .execute(
            "return [document.documentElement.dataset.theme || '',
                     document.documentElement.lang,
                     getComputedStyle(document.body).backgroundColor];",
            vec![],
        )
        .await?;
    let page = page.json();
    walk.seen.theme_attr = page[0].as_str().unwrap_or_default().to_owned();
    walk.seen.lang_attr = page[1].as_str().unwrap_or_default().to_owned();
    walk.seen.background = page[2].as_str().unwrap_or_default().to_owned();
    walk.screen("first-run").await?;
    walk.seen.canary_flagged = axe_flags_poor_contrast(driver).await?;

    // The new dossier form, filled in.
    by_id(driver, "program-option-kz-ai-pilot")
        .await?
        .click()
        .await?;
    by_id(driver, "applicant-name")
        .await?
        .send_keys("Aigerim Test")
        .await?;
    let form = driver.find(By::Css("section.new")).await?;
    show(driver, &form).await?;
    walk.screen("new-dossier-form").await?;

    // The new dossier: what's next, the stepper, an empty checklist.
    by_id(driver, "create-dossier").await?.click().await?;
    // The pilot is closed: the form asks before starting a dossier on it.
    let confirm = by_id(driver, "closed-program-confirm").await?;
    show(driver, &confirm).await?;
    walk.screen("closed-program-confirm").await?;
    by_id(driver, "confirm-closed-program")
        .await?
        .click()
        .await?;
    by_id(driver, "dossier-title").await?;
    by_id(driver, "next-action").await?;
    walk.screen("new-dossier").await?;

    // Back to the list of dossiers.
    click_id(driver, "back-to-list").await?;
    by_id(driver, "dossier-item").await?;
    walk.screen("dossier-list").await?;

    // The demo dossier (from the header's Demo menu): documents, findings,
    // dates, events.
    let problems = header_problems(driver, "dossier-list", 0.12).await?;
    walk.seen.header_problems.extend(problems);
    demo_action(driver, "demo-open").await?;
    by_id(driver, "demo-badge").await?;
    until(
        driver,
        "return !!document.querySelector(\"[data-testid^='requirement-'][data-status]\");",
    )
    .await?;
    walk.screen("demo-dossier").await?;
    let problems = header_problems(driver, "demo-dossier", 0.12).await?;
    walk.seen.header_problems.extend(problems);

    click_id(driver, "stage-tab-astana-hub").await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    // Inspection runs in the background; wait for the findings it brings.
    until(
        driver,
        "return !!document.querySelector(\"[data-testid^='finding-']\");",
    )
    .await?;
    show_id(driver, "stage-tab-astana-hub").await?;
    walk.screen("checklist-stepper").await?;

    // A document with its findings.
    match driver.find(By::Css("[data-testid^='finding-']")).await {
        Ok(finding) => {
            let card = finding
                .find(By::XPath(
                    "./ancestor::*[starts-with(@data-testid, 'requirement-')][1]",
                ))
                .await?;
            show(driver, &card).await?;
            walk.screen("document-findings").await?;
        }
        Err(e) => walk.missing("a document with findings", &e),
    }

    // The dates read off a document.
    match by_id(driver, "dates-police-clearance").await {
        Ok(form) => {
            show(driver, &form).await?;
            walk.screen("document-dates").await?;
        }
        Err(e) => walk.missing("the dates form", &e),
    }

    // Preparing a package of the stage.
    click_id(driver, "pack-open-astana-hub").await?;
    let panel = by_id(driver, "pack-panel").await?;
    show(driver, &panel).await?;
    walk.screen("pack-panel").await?;
    click_id(driver, "pack-close").await?;

    // Deadlines, the case timeline and verifying a package.
    show_id(driver, "deadlines-panel").await?;
    walk.screen("deadlines").await?;
    show_id(driver, "timeline-panel").await?;
    walk.screen("timeline").await?;
    click_id(driver, "verify-open").await?;
    show_id(driver, "verify-panel").await?;
    walk.screen("verify-package").await?;

    // What's next, at the top of the dossier.
    show_id(driver, "dossier-title").await?;
    walk.screen("whats-next").await?;

    // The print view of the checklist.
    click_id(driver, "print-checklist").await?;
    by_id(driver, "print-view").await?;
    walk.screen("print-view").await?;
    click_id(driver, "print-close").await?;

    // Presentation mode: large type, demo dossiers only.
    demo_action(driver, "presentation-toggle").await?;
    by_id(driver, "presentation-indicator").await?;
    walk.screen("presentation-dossier").await?;
    let problems = header_problems(driver, "presentation-dossier", 0.12).await?;
    walk.seen.header_problems.extend(problems);
    click_id(driver, "back-to-list").await?;
    by_id(driver, "dossier-item").await?;
    walk.screen("presentation-list").await?;
    // Its own exit, outside the Demo menu.
    click_id(driver, "presentation-exit").await?;

    // About.
    by_id(driver, "about-open").await?.click().await?;
    by_id(driver, "about-version").await?;
    walk.screen("about").await?;
    click_id(driver, "about-close").await?;

    // Settings: backups of each dossier, restore, rule packs; then the
    // export form of the demo dossier (passphrase fields and their notes).
    click_id(driver, "settings-open").await?;
    by_id(driver, "settings-rules").await?;
    walk.screen("settings").await?;
    let export = driver
        .find(By::Css("[data-testid^='export-open-']"))
        .await?;
    driver
        .execute(
            "arguments[0].scrollIntoView({ block: 'center', behavior: 'instant' });",
            vec![export.to_json()?],
        )
        .await?;
    export.click().await?;
    by_id(driver, "export-passphrase").await?;
    walk.screen("settings-export-form").await?;
    click_id(driver, "export-cancel").await?;
    click_id(driver, "settings-close").await?;

    // The header's Demo menu, open (axe checks its roles and states).
    open_demo_menu(driver).await?;
    walk.screen("demo-menu").await?;
    driver
        .action_chain()
        .key_down(Key::Escape)
        .key_up(Key::Escape)
        .perform()
        .await?;

    if zoom {
        zoom_walk(walk).await?;
    }
    Ok(())
}

/// Clicks in the page's own script. At a zoom other than 100%,
/// WebKitWebDriver puts its pointer clicks at the wrong place (it does not
/// scale the element's position), so the zoomed screens click this way;
/// `zoom_problems` has checked that a user's pointer would reach the element.
async fn script_click(driver: &WebDriver, test_id: &str) -> WebDriverResult<()> {
    let element = by_id(driver, test_id).await?;
    driver
        .execute(
            "arguments[0].scrollIntoView({ block: 'center', behavior: 'instant' }); arguments[0].click();",
            vec![element.to_json()?],
        )
        .await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    Ok(())
}

/// 200% zoom: the list, the demo dossier and its checklist, checked and shot.
async fn zoom_walk(walk: &mut Walk<'_>) -> WebDriverResult<()> {
    let driver = walk.driver;
    let normal = zoom(driver, "0", 1).await?;
    let zoomed = zoom(driver, "=", 5).await?;
    walk.seen.zoom_widths = (normal, zoomed);
    let header = [
        "language-select",
        "theme-select",
        "demo-menu",
        "settings-open",
        "about-open",
    ];

    by_id(driver, "dossier-item").await?;
    let problems = zoom_problems(driver, "list", &header).await?;
    walk.seen.zoom_problems.extend(problems);
    walk.seen.zoom_checked += 1;
    driver
        .execute("document.querySelector('.scroller').scrollTop = 0;", vec![])
        .await?;
    walk.screen("zoom-list").await?;

    script_click(driver, "demo-menu").await?;
    script_click(driver, "demo-open").await?;
    by_id(driver, "dossier-title").await?;
    by_id(driver, "next-action").await?;
    let mut controls = vec!["next-action"];
    controls.extend(header);
    let problems = zoom_problems(driver, "dossier", &controls).await?;
    walk.seen.zoom_problems.extend(problems);
    walk.seen.zoom_checked += 1;
    show_id(driver, "dossier-title").await?;
    walk.screen("zoom-dossier").await?;
    // The next action still works: it brings its requirement into view.
    script_click(driver, "next-action").await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    walk.screen("zoom-next-action").await?;

    script_click(driver, "stage-tab-astana-hub").await?;
    let problems = zoom_problems(driver, "checklist", &header).await?;
    walk.seen.zoom_problems.extend(problems);
    walk.seen.zoom_checked += 1;
    show_id(driver, "stage-tab-astana-hub").await?;
    walk.screen("zoom-checklist").await?;

    zoom(driver, "0", 1).await?;
    Ok(())
}

/// Opens a session with the app at `binary`, as `common::open_app` does.
async fn open_app_at(binary: &Path) -> WebDriverResult<WebDriver> {
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
    driver.set_script_timeout(Duration::from_secs(120)).await?;
    Ok(driver)
}

fn axe_source() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run `npm ci` first", path.display()))
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs an X display, tauri-driver and xdotool: run scripts/test.sh"]
async fn every_screen_in_every_language_and_theme() {
    let axe = axe_source();
    // The six walks take a few minutes: run a copy of the app cargo built,
    // so a build in the same target folder meanwhile cannot swap it mid-run.
    let bin_dir = tempfile::tempdir().expect("temp dir");
    let binary = bin_dir.path().join("qujat-app");
    std::fs::copy(app_binary(), &binary).expect("copy the app");
    let screens = artifacts().join("screens");
    // Only this run's pictures.
    let _ = std::fs::remove_dir_all(&screens);

    let mut report = Vec::new();
    for theme in THEMES {
        for lang in LANGUAGES {
            let label = format!("{lang}-{theme}");
            let dir = screens.join(&label);
            std::fs::create_dir_all(&dir).expect("screenshot folder");
            // A fresh, empty data folder: the walk starts at the first run.
            let home = tempfile::tempdir().expect("temp dir");
            let data_dir = home.path().join("data");
            let driver_process = TauriDriver::start(&data_dir);
            let driver = open_app_at(&binary).await.expect("session with the app");
            let mut state = Walk {
                driver: &driver,
                dir,
                label: label.clone(),
                axe: &axe,
                n: 0,
                seen: Seen::default(),
            };
            let outcome = walk(&mut state, lang, theme, theme == "light").await;
            let seen = state.seen;
            if outcome.is_err() {
                // What the window showed when the walk stopped.
                let _ = driver
                    .screenshot(&screens.join(&label).join("failed.png"))
                    .await;
            }
            // Quit before asserting: a panic with an open session hangs thirtyfour.
            driver.quit().await.expect("close the app");
            drop(driver_process);
            report.push((label, lang, theme, outcome, seen));
        }
    }

    let mut failures = Vec::new();
    let mut backgrounds = Vec::new();
    for (label, lang, theme, outcome, seen) in &report {
        println!(
            "{label}: {} screens checked by axe, {} screenshots, {} serious/critical, {} lesser",
            seen.checked.len(),
            seen.shots.len(),
            seen.violations.len(),
            seen.lesser.len()
        );
        for line in &seen.lesser {
            println!("  (not failing) {line}");
        }
        for line in &seen.contrast_unsure {
            println!("  (contrast not decided) {line}");
        }
        if !seen.canary_flagged {
            failures.push(format!(
                "{label}: axe did not flag text of poor contrast put on the page"
            ));
        }
        if seen.contrast_checked == 0 {
            failures.push(format!("{label}: axe's colour-contrast rule never ran"));
        }
        if let Err(e) = outcome {
            failures.push(format!("{label}: the walk stopped: {e}"));
        }
        failures.extend(seen.missing.iter().cloned());
        failures.extend(seen.axe_errors.iter().cloned());
        failures.extend(seen.violations.iter().cloned());
        failures.extend(
            seen.header_problems
                .iter()
                .map(|p| format!("{label} at 100%: {p}")),
        );
        failures.extend(
            seen.zoom_problems
                .iter()
                .map(|p| format!("{label} at 200%: {p}")),
        );
        if seen.checked.len() < 15 {
            failures.push(format!(
                "{label}: axe checked only {} screens",
                seen.checked.len()
            ));
        }
        if *theme == "light" {
            if seen.zoom_checked < 3 {
                failures.push(format!(
                    "{label}: 200% zoom checked on {} screens",
                    seen.zoom_checked
                ));
            }
            let (normal, zoomed) = seen.zoom_widths;
            if normal == 0 || (zoomed * 2 - normal).abs() > 4 {
                failures.push(format!(
                    "{label}: zooming to 200% took the page from {normal} to {zoomed} CSS pixels"
                ));
            }
        }
        if seen.theme_attr != *theme {
            failures.push(format!(
                "{label}: <html data-theme> is {:?}",
                seen.theme_attr
            ));
        }
        if seen.lang_attr != *lang {
            failures.push(format!("{label}: <html lang> is {:?}", seen.lang_attr));
        }
        for shot in &seen.shots {
            let size = std::fs::metadata(shot).map(|m| m.len()).unwrap_or(0);
            if size < 1000 {
                failures.push(format!("{}: an empty screenshot", shot.display()));
            }
        }
        backgrounds.push((*theme, seen.background.clone()));
    }
    // The dark theme really is another set of colours.
    for (theme, background) in &backgrounds {
        let other = backgrounds.iter().find(|(t, _)| t != theme);
        if let Some((_, other)) = other {
            if other == background {
                failures.push(format!(
                    "the {theme} theme has the same background as another theme: {background}"
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} problem(s):\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}
