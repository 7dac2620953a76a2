//! Commands that read no private data need no data key: on a machine with
//! no keychain (no session bus) and no passphrase, a newcomer's first
//! commands and an embassy desk verifying a package it received work, and
//! leave no key behind. The first command that touches a dossier is the
//! one that asks for a key.

mod support;

use std::path::Path;
use std::process::Command;

use support::{pdf, qujat_process};

/// `qujat` with no keychain to reach and no passphrase to use, on `data`.
fn keyless(data: &Path) -> Command {
    let mut cmd = qujat_process(data);
    cmd.env_remove("QUJAT_PASSPHRASE")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        // Secret Service clients fall back to the bus under XDG_RUNTIME_DIR.
        .env(
            "XDG_RUNTIME_DIR",
            data.parent().expect("parent").join("no-runtime"),
        );
    cmd
}

fn run_ok(cmd: &mut Command, what: &str) -> String {
    let out = cmd.output().expect("run qujat");
    assert!(
        out.status.success(),
        "{what} needs no key but failed ({:?}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn programs_checklists_inspection_verification_and_rules_need_no_key() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("data");

    let programs = run_ok(keyless(&data).args(["programs", "--json"]), "programs");
    let programs: serde_json::Value = serde_json::from_str(&programs).expect("json");
    assert!(programs
        .as_array()
        .expect("array")
        .iter()
        .any(|p| p["id"] == "kz-in-demand"));

    let checklist = run_ok(
        keyless(&data).args(["checklist", "--program", "kz-in-demand"]),
        "checklist",
    );
    assert!(checklist.contains("passport"), "{checklist}");

    let printable = tmp.path().join("checklist.pdf");
    run_ok(
        keyless(&data)
            .args(["checklist", "--program", "kz-in-demand", "--pdf"])
            .arg(&printable),
        "checklist --pdf",
    );
    assert!(std::fs::read(&printable)
        .expect("pdf")
        .starts_with(b"%PDF-"));

    let loose = tmp.path().join("cv.pdf");
    std::fs::write(&loose, pdf(&["Curriculum vitae"])).expect("write");
    let verdict = run_ok(
        keyless(&data).args(["inspect", "--json"]).arg(&loose),
        "inspect FILE",
    );
    let verdict: serde_json::Value = serde_json::from_str(&verdict).expect("json");
    assert_eq!(verdict["verdict"], "inspected");
    assert_eq!(verdict["pdf"]["pages"], 1);

    run_ok(keyless(&data).args(["rules", "status"]), "rules status");

    // A package made elsewhere (a data folder with its own key)…
    let maker = tmp.path().join("maker");
    let id = run_ok(
        qujat_process(&maker).args([
            "new",
            "--closed-program-ok",
            "--program",
            "kz-ai-pilot",
            "--name",
            "A B",
        ]),
        "new",
    );
    let package = tmp.path().join("received.zip");
    run_ok(
        qujat_process(&maker)
            .args(["pack", id.trim(), "--stage", "ministry-notice"])
            .args(["--allow-incomplete", "--out"])
            .arg(&package),
        "pack",
    );
    // …is verified at a desk with no key at all.
    let verified = run_ok(keyless(&data).arg("verify").arg(&package), "verify");
    assert!(verified.contains("valid"), "{verified}");

    assert!(
        !data.join("key.json").exists(),
        "no key was made for commands that read no private data"
    );

    // The first command that touches a dossier is the one that needs a key,
    // and it says why it has none instead of making one nobody can open.
    let list = keyless(&data).arg("list").output().expect("list");
    assert!(!list.status.success());
    let stderr = String::from_utf8_lossy(&list.stderr);
    assert!(stderr.contains("keychain"), "{stderr}");
    assert!(!data.join("key.json").exists());
}
