//! End-to-end: the Settings screen, in the real app window (see
//! `tests/common/mod.rs`).
//!
//! Backups: a dossier with two documents and an event is seeded through the
//! core; the test exports it through the save dialog with a passphrase,
//! checks the file is an age encryption, deletes the dossier, sees an
//! import with a wrong passphrase refused with the translated message (in
//! English and Russian) and nothing imported, then imports with the right
//! passphrase and finds the dossier back with its documents.
//!
//! Rule updates: a real HTTP server on 127.0.0.1 publishes packs signed
//! with a throwaway key, which the app is told to trust through
//! `QUJAT_RULES_TRUSTED_KEY` (as the CLI's hidden `--trusted-key`; the real
//! secret key is never in the repository). Nothing published (404), then a
//! newer pack signed with another key: each fails with its translated
//! reason and the pack in use stays. Then a good newer pack: it is installed
//! and the programs shown follow it at once. After a restart the update
//! address is still there, and so is the installed pack.
//!
//! One test function: every binary here talks to the same driver port.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use chrono::{Days, Local, Utc};
use common::{
    answer_file_dialog, answer_save_dialog, by_id, click_id, one_page_pdf, open_app, shot, shot_of,
    TauriDriver,
};
use common::{choose_language, type_into};
use qujat_core::{OpenOptions, Workspace};
use thirtyfour::prelude::*;

const PILOT: &str = include_str!("../crates/qujat-core/rules/kz-ai-pilot.toml");
const PILOT_ID: &str = "kz-ai-pilot";
const PASSPHRASE: &str = "correct horse battery staple";
const APPLICANT: &str = "Dana Backup";
/// The English program name the updated pack gives the pilot.
const UPDATED_NAME: &str = "Updated rules: AI specialists";

/// The built-in pilot pack's version, and the next one.
fn versions() -> (String, String) {
    let line = PILOT
        .lines()
        .find(|l| l.starts_with("version = "))
        .expect("the pack has a version line");
    let current = line
        .trim_start_matches("version = ")
        .trim_matches('"')
        .to_owned();
    let (year, n) = current.split_once('.').expect("YYYY.N");
    let next = format!("{year}.{}", n.parse::<u32>().expect("N") + 1);
    (current, next)
}

/// The pilot pack at `version`, its English name changed so the UI shows
/// which pack it uses.
fn pilot_at(version: &str) -> Vec<u8> {
    let (current, _) = versions();
    let pack = PILOT.replacen(
        &format!("version = \"{current}\""),
        &format!("version = \"{version}\""),
        1,
    );
    let name = pack
        .lines()
        .find(|l| l.starts_with("name = { en = \""))
        .expect("the pack's name line")
        .to_owned();
    let start = "name = { en = \"".len();
    let end = start + name[start..].find('"').expect("end of the English name");
    let renamed = format!("{}{UPDATED_NAME}{}", &name[..start], &name[end..]);
    pack.replacen(&name, &renamed, 1).into_bytes()
}

#[path = "fixtures/publisher.rs"]
mod publisher;
use publisher::Publisher;
use qujat_core::rules::installed::TrustedKey;

/// A tiny HTTP/1.1 server on an ephemeral port: a path is answered with its
/// published bytes, anything else with 404. Stops when dropped.
struct PackServer {
    base: String,
    files: Arc<Mutex<HashMap<String, Vec<u8>>>>,
}

impl PackServer {
    fn start() -> PackServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let base = format!("http://{}/packs", listener.local_addr().expect("addr"));
        listener.set_nonblocking(true).expect("nonblocking");
        let files: Arc<Mutex<HashMap<String, Vec<u8>>>> = Arc::default();
        let table = Arc::clone(&files);
        thread::spawn(move || {
            // At most ten minutes, so it always stops by itself.
            let deadline = Instant::now() + Duration::from_secs(600);
            while Instant::now() < deadline && Arc::strong_count(&table) > 1 {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let table = Arc::clone(&table);
                        thread::spawn(move || serve(stream, &table));
                    }
                    Err(_) => thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        PackServer { base, files }
    }

    /// Publishes the pilot pack and a signature for it.
    fn publish(&self, pack: &[u8], signature: &[u8]) {
        let mut files = self.files.lock().expect("files");
        files.insert(format!("/packs/{PILOT_ID}.toml"), pack.to_vec());
        files.insert(
            format!("/packs/{PILOT_ID}.toml.minisig"),
            signature.to_vec(),
        );
    }
}

fn serve(stream: TcpStream, files: &Mutex<HashMap<String, Vec<u8>>>) {
    let _ = stream.set_nonblocking(false);
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) if line == "\r\n" => break,
            Ok(_) => {}
        }
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("");
    let body = files.lock().expect("files").get(path).cloned();
    let mut out = stream;
    let _ = match body {
        Some(body) => out
            .write_all(
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                )
                .as_bytes(),
            )
            .and_then(|_| out.write_all(&body)),
        None => out
            .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
    };
}

/// Seeds a dossier with two documents and one event; returns its id.
fn seed(home: &Path, data_dir: &Path) -> String {
    let now = Utc::now();
    let today = Local::now().date_naive();
    let mut ws = Workspace::open(data_dir).expect("the data folder");
    let dossier = ws
        .create_dossier(PILOT_ID, APPLICANT, now)
        .expect("a dossier");
    for (requirement, text) in [("cv", "Curriculum vitae"), ("ministry-notice", "Notice")] {
        let file = home.join(format!("{requirement}.pdf"));
        std::fs::write(&file, one_page_pdf(text)).expect("fixture");
        ws.attach(&dossier.id, requirement, &file, now)
            .expect("attach");
    }
    ws.record_event(
        &dossier.id,
        "astana-hub-submitted",
        today.checked_sub_days(Days::new(20)).expect("a date"),
        None,
        today,
        now,
    )
    .expect("an event");
    dossier.id
}

/// Waits until the element with `test_id` exists (up to `secs`).
async fn wait_for(driver: &WebDriver, test_id: &str, secs: u64) -> WebDriverResult<WebElement> {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        match by_id(driver, test_id).await {
            Ok(found) => return Ok(found),
            Err(e) if Instant::now() > deadline => return Err(e),
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

/// Waits until the element's attribute is `expected`; returns the last value seen.
async fn wait_attr(
    driver: &WebDriver,
    test_id: &str,
    attribute: &str,
    expected: &str,
) -> WebDriverResult<String> {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let seen = match by_id(driver, test_id).await {
            Ok(element) => element.attr(attribute).await?.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if seen == expected || Instant::now() > deadline {
            return Ok(seen);
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

async fn dialog(answer: fn(&Path), path: &Path) {
    let path = path.to_owned();
    tokio::task::spawn_blocking(move || answer(&path))
        .await
        .expect("dialog driver");
}

/// The names of the dossiers in the list screen.
async fn listed(driver: &WebDriver) -> WebDriverResult<Vec<String>> {
    let mut names = Vec::new();
    for item in driver
        .find_all(By::Css("[data-testid='dossier-item']"))
        .await?
    {
        names.push(item.text().await?);
    }
    Ok(names)
}

/// Runs a rule-update check and waits for the pilot's outcome.
async fn check_updates(driver: &WebDriver) -> WebDriverResult<(String, String)> {
    click_id(driver, "rules-check").await?;
    // The button is disabled while the check runs, enabled again after.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let deadline = Instant::now() + Duration::from_secs(120);
    while !by_id(driver, "rules-check").await?.is_enabled().await? && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let outcome = wait_for(driver, &format!("rules-outcome-{PILOT_ID}"), 10).await?;
    let kind = outcome.attr("data-outcome").await?.unwrap_or_default();
    let text = outcome.text().await?;
    Ok((kind, text))
}

#[derive(Debug, Default)]
struct Seen {
    export_result: String,
    wrong_code: String,
    wrong_text_en: String,
    wrong_text_ru: String,
    listed_after_wrong: Vec<String>,
    import_result: String,
    listed_after_import: Vec<String>,
    opened_title: String,
    pilot_before: (String, String),
    not_found: (String, String),
    not_found_version: String,
    wrong_key: (String, String),
    wrong_key_version: String,
    installed: (String, String),
    installed_version: (String, String),
    about_after_update: String,
    listed_after_update: Vec<String>,
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs an X display, tauri-driver and xdotool: run scripts/test.sh"]
async fn backup_restore_and_rule_updates_in_the_app() {
    let home = tempfile::tempdir().expect("temp dir");
    let data_dir = home.path().join("data");
    let dossier_id = seed(home.path(), &data_dir);
    let out = home.path().join("out");
    std::fs::create_dir_all(&out).expect("out folder");
    let backup: PathBuf = out.join("dana.qujat");
    let (built_in, newer) = versions();

    let publisher = Publisher::new();
    let impostor = Publisher::new();
    let key_file = home.path().join("test-rules.pub");
    std::fs::write(&key_file, publisher.public_key_file()).expect("key file");
    // The app inherits the driver's environment, and the driver this test's.
    std::env::set_var("QUJAT_RULES_TRUSTED_KEY", &key_file);
    std::env::remove_var("QUJAT_RULES_URL");
    let server = PackServer::start();

    let _driver_process = TauriDriver::start(&data_dir);
    let driver = open_app().await.expect("session with the app");
    let run = async {
        let mut seen = Seen::default();
        by_id(&driver, "dossier-item").await?;

        // Export the dossier through the save dialog.
        click_id(&driver, "settings-open").await?;
        wait_for(&driver, "settings-view", 10).await?;
        wait_for(&driver, &format!("rules-pack-{PILOT_ID}"), 10).await?;
        shot(&driver, "settings-01-overview").await?;
        click_id(&driver, &format!("export-open-{dossier_id}")).await?;
        type_into(&driver, "export-passphrase", PASSPHRASE).await?;
        type_into(&driver, "export-passphrase-again", PASSPHRASE).await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        shot(&driver, "settings-02-export-form").await?;
        click_id(&driver, "export-save").await?;
        dialog(answer_save_dialog, &backup).await;
        seen.export_result = wait_for(&driver, "export-result", 90).await?.text().await?;
        shot(&driver, "settings-03-exported").await?;

        // The dossier is lost (deleted here, as if on a new computer).
        {
            let mut ws = Workspace::open(&data_dir).expect("the data folder");
            ws.delete_dossier(&dossier_id).expect("delete");
        }

        // A wrong passphrase: refused, translated, nothing imported.
        click_id(&driver, "import-open").await?;
        dialog(answer_file_dialog, &backup).await;
        type_into(&driver, "import-passphrase", "not the passphrase").await?;
        click_id(&driver, "import-start").await?;
        let error = wait_for(&driver, "import-error", 90).await?;
        seen.wrong_code = error.attr("data-code").await?.unwrap_or_default();
        seen.wrong_text_en = error.text().await?;
        shot(&driver, "settings-04-wrong-passphrase").await?;
        choose_language(&driver, "ru").await?;
        seen.wrong_text_ru = by_id(&driver, "import-error").await?.text().await?;
        shot(&driver, "settings-05-wrong-passphrase-ru").await?;
        choose_language(&driver, "en").await?;
        click_id(&driver, "import-cancel").await?;
        click_id(&driver, "settings-close").await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        seen.listed_after_wrong = listed(&driver).await?;

        // The right passphrase: the dossier is back.
        click_id(&driver, "settings-open").await?;
        click_id(&driver, "import-open").await?;
        dialog(answer_file_dialog, &backup).await;
        type_into(&driver, "import-passphrase", PASSPHRASE).await?;
        click_id(&driver, "import-start").await?;
        seen.import_result = wait_for(&driver, "import-result", 90).await?.text().await?;
        shot(&driver, "settings-06-imported").await?;
        click_id(&driver, "import-open-dossier").await?;
        seen.opened_title = wait_for(&driver, "dossier-title", 10).await?.text().await?;
        click_id(&driver, "back-to-list").await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        seen.listed_after_import = listed(&driver).await?;

        // Rule updates: the built-in pack in use.
        click_id(&driver, "settings-open").await?;
        let row = wait_for(&driver, &format!("rules-pack-{PILOT_ID}"), 10).await?;
        seen.pilot_before = (
            row.attr("data-version").await?.unwrap_or_default(),
            row.attr("data-origin").await?.unwrap_or_default(),
        );

        // Nothing published: HTTP 404, the pack in use stays.
        type_into(&driver, "rules-url", &server.base).await?;
        seen.not_found = check_updates(&driver).await?;
        seen.not_found_version = wait_attr(
            &driver,
            &format!("rules-pack-{PILOT_ID}"),
            "data-version",
            &built_in,
        )
        .await?;
        let outcomes = by_id(&driver, "rules-outcomes").await?;
        outcomes.scroll_into_view().await?;
        shot(&driver, "settings-07-update-not-found").await?;

        // A newer pack signed with a key the app does not trust.
        let newer_pack = pilot_at(&newer);
        server.publish(&newer_pack, &impostor.sign(&newer_pack));
        seen.wrong_key = check_updates(&driver).await?;
        seen.wrong_key_version = wait_attr(
            &driver,
            &format!("rules-pack-{PILOT_ID}"),
            "data-version",
            &built_in,
        )
        .await?;
        by_id(&driver, "rules-outcomes")
            .await?
            .scroll_into_view()
            .await?;
        shot(&driver, "settings-08-update-wrong-key").await?;

        // The same pack, signed by the trusted publisher: installed and used.
        server.publish(&newer_pack, &publisher.sign(&newer_pack));
        seen.installed = check_updates(&driver).await?;
        let version = wait_attr(
            &driver,
            &format!("rules-pack-{PILOT_ID}"),
            "data-version",
            &newer,
        )
        .await?;
        let origin = by_id(&driver, &format!("rules-pack-{PILOT_ID}"))
            .await?
            .attr("data-origin")
            .await?
            .unwrap_or_default();
        seen.installed_version = (version, origin);
        shot_of(&driver, "settings-rules", "settings-09-updated").await?;

        // The programs follow the new pack without a restart.
        click_id(&driver, "about-open").await?;
        seen.about_after_update = wait_for(&driver, &format!("about-pack-{PILOT_ID}"), 10)
            .await?
            .text()
            .await?;
        click_id(&driver, "about-close").await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        seen.listed_after_update = listed(&driver).await?;
        shot(&driver, "settings-10-list-after-update").await?;
        WebDriverResult::Ok(seen)
    }
    .await;
    driver.quit().await.expect("close the app");
    let seen = run.expect("first run");

    // After a restart: the address is remembered, the installed pack used.
    let driver = open_app().await.expect("second session");
    let second = async {
        by_id(&driver, "settings-open").await?.click().await?;
        let row = wait_for(&driver, &format!("rules-pack-{PILOT_ID}"), 10).await?;
        let version = row.attr("data-version").await?.unwrap_or_default();
        let origin = row.attr("data-origin").await?.unwrap_or_default();
        let url = by_id(&driver, "rules-url")
            .await?
            .prop("value")
            .await?
            .unwrap_or_default();
        shot_of(&driver, "settings-rules", "settings-11-after-restart").await?;
        WebDriverResult::Ok((version, origin, url))
    }
    .await;
    driver.quit().await.expect("close the app");
    let (version_after_restart, origin_after_restart, url_after_restart) =
        second.expect("second run");

    // The backup file: an age encryption, never plain text.
    let bytes = std::fs::read(&backup).expect("the backup was written");
    assert!(
        bytes.starts_with(b"age-encryption.org/v1\n"),
        "the backup is an age file"
    );
    assert!(
        !bytes
            .windows(APPLICANT.len())
            .any(|w| w == APPLICANT.as_bytes()),
        "the applicant's name is not readable in the backup"
    );
    assert!(
        seen.export_result.contains(APPLICANT) && seen.export_result.contains("dana.qujat"),
        "the result names the dossier and the file: {seen:?}"
    );
    assert!(
        seen.export_result.contains("Document files: 2"),
        "the result counts the files: {seen:?}"
    );

    // The wrong passphrase.
    assert_eq!(seen.wrong_code, "backup-wrong-passphrase", "{seen:?}");
    assert!(
        seen.wrong_text_en
            .contains("This passphrase does not open the backup"),
        "{seen:?}"
    );
    assert!(
        seen.wrong_text_ru
            .contains("Эта парольная фраза не открывает резервную копию"),
        "{seen:?}"
    );
    assert!(
        seen.listed_after_wrong
            .iter()
            .all(|n| !n.contains(APPLICANT)),
        "a refused import adds nothing: {seen:?}"
    );

    // The right one.
    assert!(
        seen.import_result.contains(APPLICANT) && seen.import_result.contains("Documents: 2"),
        "{seen:?}"
    );
    assert!(seen.opened_title.contains(APPLICANT), "{seen:?}");
    assert_eq!(
        seen.listed_after_import
            .iter()
            .filter(|n| n.contains(APPLICANT))
            .count(),
        1,
        "{seen:?}"
    );

    // Rule updates.
    assert_eq!(
        seen.pilot_before,
        (built_in.clone(), "built-in".to_owned()),
        "{seen:?}"
    );
    assert_eq!(seen.not_found.0, "failed", "{seen:?}");
    assert!(
        seen.not_found.1.contains("HTTP error 404")
            && seen
                .not_found
                .1
                .contains(&format!("still using {built_in}")),
        "{seen:?}"
    );
    assert_eq!(seen.not_found_version, built_in, "{seen:?}");
    assert_eq!(seen.wrong_key.0, "failed", "{seen:?}");
    assert!(
        seen.wrong_key
            .1
            .contains("signed with a key Qujat does not trust"),
        "{seen:?}"
    );
    assert_eq!(seen.wrong_key_version, built_in, "{seen:?}");
    assert_eq!(seen.installed.0, "installed", "{seen:?}");
    assert!(
        seen.installed
            .1
            .contains(&format!("updated from {built_in} to {newer}")),
        "{seen:?}"
    );
    assert_eq!(
        seen.installed_version,
        (newer.clone(), "installed".to_owned()),
        "{seen:?}"
    );
    assert!(
        seen.about_after_update.contains(UPDATED_NAME)
            && seen
                .about_after_update
                .contains(&format!("version {newer}")),
        "the About screen shows the new pack: {seen:?}"
    );
    assert!(
        seen.listed_after_update
            .iter()
            .any(|n| n.contains(APPLICANT) && n.contains(UPDATED_NAME)),
        "the dossier is judged by the new pack: {seen:?}"
    );

    // After the restart.
    assert_eq!(version_after_restart, newer);
    assert_eq!(origin_after_restart, "installed");
    assert_eq!(url_after_restart, server.base);

    // The core agrees: the dossier is back with its documents and event.
    let ws = Workspace::open(
        OpenOptions::new(&data_dir).trusting(
            &qujat_core::rules::installed::TrustedKey::parse(&publisher.public_key_file())
                .expect("key"),
        ),
    )
    .expect("reopen");
    let report = ws
        .report(&dossier_id, None, Local::now().date_naive())
        .expect("the imported dossier keeps its id");
    let documents = report
        .stages
        .iter()
        .flat_map(|s| &s.requirements)
        .filter(|r| r.document.is_some())
        .map(|r| r.id.clone())
        .collect::<std::collections::BTreeSet<_>>();
    assert_eq!(
        documents.into_iter().collect::<Vec<_>>(),
        ["cv", "ministry-notice"],
        "both documents are back"
    );
    assert_eq!(ws.program(PILOT_ID).expect("pilot").version, newer);
    drop(server);
}
