//! The command line against awkward input from outside: a file named `-`,
//! a reader that goes away (`| head`), pipes and devices given as
//! documents, and an existing export destination.

use std::fs;
use std::io::Write;
use std::process::Stdio;
use std::time::{Duration, Instant};

use predicates::prelude::*;

mod support;

use support::Env;

#[test]
fn a_file_named_dash_is_inspected_not_standard_input() {
    let env = Env::new();
    env.file("-", &support::pdf(&["The file named dash"]));
    let mut child = support::qujat_process(&env.data_dir())
        .current_dir(env.dir.path())
        .args(["inspect", "-", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Standard input holds something else entirely: a PNG's signature.
    let mut stdin = child.stdin.take().expect("stdin");
    let _ = stdin.write_all(b"\x89PNG\r\n\x1a\n");
    drop(stdin);
    let out = child.wait_with_output().expect("inspect");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    let record: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(record["verdict"], "inspected", "{text}");
    assert_eq!(
        record["kind"], "pdf",
        "the file named dash, not the PNG on stdin"
    );
}

#[cfg(unix)]
#[test]
fn a_reader_that_goes_away_ends_the_command_quietly() {
    let env = Env::new();
    // A pipe whose reading end is closed before qujat writes a byte: every
    // write fails as `qujat … | head` does once head has had its lines.
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let out = support::qujat_process(&env.data_dir())
        .args(["checklist", "--program", "kz-ai-pilot"])
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
        "no panic, no backtrace hint: {stderr}"
    );
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(
        out.status.signal(),
        Some(libc::SIGPIPE),
        "ended by SIGPIPE, as other Unix tools are: {:?}",
        out.status
    );
}

#[cfg(unix)]
#[test]
fn pipes_and_devices_are_named_as_such_and_never_opened() {
    let env = Env::new();
    let id = env.new_dossier("Ada");
    let fifo = env.dir.path().join("cv.pdf");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    // No writer ever opens the pipe: opening it to read would block for
    // ever, so a hang here is the bug (the test's own time check follows).
    let started = Instant::now();
    env.qujat()
        .args(["add", &id, "cv"])
        .arg(&fifo)
        .timeout(Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "named pipe (FIFO), not a regular file",
        ))
        .stderr(predicate::str::contains("folder").not());
    env.qujat()
        .args(["inspect"])
        .arg(&fifo)
        .timeout(Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("named pipe (FIFO)"));
    assert!(started.elapsed() < Duration::from_secs(20));
    for device in ["/dev/null", "/dev/zero"] {
        env.qujat()
            .args(["add", &id, "cv", device])
            .timeout(Duration::from_secs(20))
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "a device or socket, not a regular file",
            ));
    }
    env.qujat()
        .args(["add", &id, "cv"])
        .arg(env.dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is a folder"));
}

#[test]
fn export_over_an_existing_file_says_how_and_force_replaces_it() {
    let env = Env::new();
    let id = env.new_dossier("Ada");
    let out = env.file("ada.qujat", b"an older backup");
    env.qujat()
        .args(["export", &id, "--out"])
        .arg(&out)
        .env("QUJAT_BACKUP_PASSPHRASE", "a long passphrase")
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("already exists").and(predicate::str::contains("--force")),
        );
    assert_eq!(fs::read(&out).expect("kept"), b"an older backup");
    env.qujat()
        .args(["export", &id, "--force", "--out"])
        .arg(&out)
        .env("QUJAT_BACKUP_PASSPHRASE", "a long passphrase")
        .assert()
        .success();
    let data = env.dir.path().join("elsewhere");
    support::qujat_at(&data)
        .args(["import"])
        .arg(&out)
        .env("QUJAT_BACKUP_PASSPHRASE", "a long passphrase")
        .assert()
        .success();
}
