//! `qujat export` / `import` and `qujat rules` through the real binary.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use predicates::prelude::*;

mod support;

#[path = "../../../tests/fixtures/publisher.rs"]
mod publisher;
use publisher::Publisher;
use qujat_core::rules::installed::TrustedKey;

fn qujat(data: &Path) -> Command {
    support::qujat_at(data)
}

fn new_dossier(data: &Path) -> String {
    support::new_dossier_with(qujat(data), "Ada Lovelace")
}

#[test]
fn a_dossier_moves_to_another_data_folder_with_its_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (here, there) = (dir.path().join("here"), dir.path().join("there"));
    let id = new_dossier(&here);
    let cv = dir.path().join("cv.pdf");
    fs::write(&cv, b"%PDF-1.4\nCV\n%%EOF\n").expect("cv");
    qujat(&here)
        .args(["add", &id, "cv"])
        .arg(&cv)
        .assert()
        .success();
    qujat(&here)
        .args(["event", &id, "astana-hub-submitted", "--date", "2025-01-10"])
        .assert()
        .success();
    let pass = dir.path().join("pass.txt");
    fs::write(&pass, "a long passphrase\n").expect("pass");
    let backup = dir.path().join("ada.qujat");
    qujat(&here)
        .args(["export", &id, "--out"])
        .arg(&backup)
        .arg("--passphrase-file")
        .arg(&pass)
        .assert()
        .success()
        .stdout(predicate::str::contains(format!("Exported dossier {id}")));

    qujat(&there)
        .args(["import"])
        .arg(&backup)
        .env("QUJAT_BACKUP_PASSPHRASE", "not it")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("passphrase does not open"));
    qujat(&there)
        .args(["import"])
        .arg(&backup)
        .env("QUJAT_BACKUP_PASSPHRASE", "a long passphrase")
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "Imported dossier {id}: 1 files, 1 events."
        )));
    qujat(&there)
        .args(["check", &id, "--json"])
        .assert()
        .stdout(
            predicate::str::contains("\"original_name\"").or(predicate::str::contains("cv.pdf")),
        );

    // Imported again where the id is taken: a new id, said plainly.
    qujat(&there)
        .args(["import"])
        .arg(&backup)
        .arg("--passphrase-file")
        .arg(&pass)
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "A dossier {id} exists already"
        )));
}

#[test]
fn an_export_without_a_passphrase_and_no_terminal_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let id = new_dossier(&data);
    let backup = dir.path().join("b.qujat");
    qujat(&data)
        .args(["export", &id, "--out"])
        .arg(&backup)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("passphrase must not be empty"));
    assert!(!backup.exists());
}

/// Serves `files` (name → bytes) on 127.0.0.1 for at most `count` requests
/// or 30 seconds; returns the base URL.
fn serve(files: Vec<(String, Vec<u8>)>, count: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    listener.set_nonblocking(true).expect("nonblocking");
    thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut served = 0;
        while served < count && Instant::now() < deadline {
            let Ok((stream, _)) = listener.accept() else {
                thread::sleep(Duration::from_millis(5));
                continue;
            };
            served += 1;
            let _ = stream.set_nonblocking(false);
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).map_or(true, |n| n == 0) || h == "\r\n" {
                    break;
                }
            }
            let path = line
                .split_whitespace()
                .nth(1)
                .unwrap_or("")
                .trim_start_matches('/')
                .to_owned();
            let mut out = stream;
            match files.iter().find(|(n, _)| *n == path) {
                Some((_, body)) => {
                    let _ = write!(
                        out,
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = out.write_all(body);
                }
                None => {
                    let _ = write!(
                        out,
                        "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    );
                }
            }
        }
    });
    base
}

/// The built-in packs' versions (pilot, in-demand), read from the packs so
/// that raising them needs no test edit.
fn builtin_versions() -> (String, String) {
    let packs = qujat_core::rules::builtin_packs().expect("valid built-in packs");
    (packs[0].version.clone(), packs[1].version.clone())
}

/// The version right after `version` (YYYY.N → YYYY.N+1).
fn next_version(version: &str) -> String {
    let (year, n) = version.split_once('.').expect("YYYY.N");
    format!("{year}.{}", n.parse::<u32>().expect("N") + 1)
}

#[test]
fn rules_update_installs_a_signed_pack_and_status_shows_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let publisher = Publisher::new();
    let key_file: PathBuf = dir.path().join("test.pub");
    fs::write(&key_file, publisher.public_key_file()).expect("key");
    let (pilot, in_demand) = builtin_versions();
    let next = next_version(&pilot);
    let pack = include_str!("../../qujat-core/rules/kz-ai-pilot.toml")
        .replacen(
            &format!("version = \"{pilot}\""),
            &format!("version = \"{next}\""),
            1,
        )
        .into_bytes();
    let signature = publisher.sign(&pack);
    let base = serve(
        vec![
            ("kz-ai-pilot.toml".into(), pack),
            ("kz-ai-pilot.toml.minisig".into(), signature),
        ],
        6,
    );
    qujat(&data)
        .args(["rules", "update", "--url", &base])
        .env("QUJAT_RULES_TRUSTED_KEY", &key_file)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!(
            "kz-ai-pilot: updated from {pilot} to {next}."
        )))
        .stdout(predicate::str::contains(format!(
            "kz-in-demand: not updated, still using {in_demand}."
        )));
    qujat(&data)
        .args(["rules", "status"])
        .env("QUJAT_RULES_TRUSTED_KEY", &key_file)
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "kz-ai-pilot      {next}   installed update"
        )));
    // The address is remembered, as the app's field is: the next update
    // without --url asks the same server (which has nothing newer).
    qujat(&data)
        .args(["rules", "update", "--program", "kz-ai-pilot"])
        .env("QUJAT_RULES_TRUSTED_KEY", &key_file)
        .env_remove("QUJAT_RULES_URL")
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "kz-ai-pilot: {next} is up to date"
        )));
    // With the built-in key the test pack is not trusted: the built-in is
    // used, and the status says why.
    qujat(&data)
        .args(["rules", "status"])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "kz-ai-pilot      {pilot}   built in"
        )))
        .stdout(predicate::str::contains(format!(
            "Skipped kz-ai-pilot@{next}.toml"
        )));
}

#[test]
fn rules_update_offline_keeps_working_and_says_why() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    qujat(&data)
        .args(["rules", "update", "--program", "kz-ai-pilot", "--url"])
        .arg(format!("http://127.0.0.1:{port}"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!(
            "not updated, still using {}",
            builtin_versions().0
        )))
        .stdout(predicate::str::contains("cannot reach"));
    qujat(&data).args(["programs"]).assert().success();
}
