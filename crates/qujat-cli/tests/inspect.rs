//! `qujat inspect`, the inspection `qujat check` runs first, its findings,
//! and `qujat dates`, through the real binary on a temporary data folder.

mod support;

use std::fs;

use predicates::prelude::*;
use serde_json::Value;
use support::{check_json, codes, encrypt_with_qpdf, jpeg, pdf, requirement, Env};

const CV: &str = "Ada Lovelace\nMachine learning engineer, AI research since 01.09.2019";

#[test]
fn inspect_prints_the_record_and_exits_0_for_a_readable_pdf() {
    let env = Env::new();
    let file = env.file("cv.pdf", &pdf(&[CV, "Page two"]));
    let out = env
        .qujat()
        .args(["inspect", "--json"])
        .arg(&file)
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let record: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(record["verdict"], "inspected");
    assert_eq!(record["kind"], "pdf");
    assert_eq!(record["version"], qujat_core::inspect::RECORD_VERSION);
    assert_eq!(record["pdf"]["pages"], 2);
    assert_eq!(record["pdf"]["encrypted"], false);
    assert_eq!(record["pdf"]["textLayer"], true);
    assert!(record["text"].as_str().expect("text").contains("Lovelace"));
    assert_eq!(record["dates"], serde_json::json!(["2019-09-01"]));
    assert_eq!(record["sha256"].as_str().map(str::len), Some(64));

    env.qujat()
        .arg("inspect")
        .arg(&file)
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "PDF: 2 pages; text layer: yes; encrypted: no",
        ));
}

#[test]
fn inspect_exits_1_for_an_unreadable_file_and_2_for_bad_input() {
    let env = Env::new();
    let whole = pdf(&[CV]);
    let cut = env.file("cut.pdf", &whole[..120]);
    env.qujat()
        .arg("inspect")
        .arg(&cut)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot be read as PDF"));
    env.qujat()
        .arg("inspect")
        .arg(env.dir.path().join("missing.pdf"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does not exist"));
    env.qujat()
        .arg("inspect")
        .arg(env.dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("folder"));
}

#[test]
fn check_inspects_attached_files_and_shows_findings_with_hints() {
    let env = Env::new();
    let id = env.new_dossier("Ada Lovelace");
    env.attach(&id, "cv", &env.file("cv.pdf", &pdf(&[CV])));
    let whole = pdf(&["Motivation"]);
    env.attach(
        &id,
        "motivation-letter",
        &env.file("letter.pdf", &whole[..150]),
    );
    env.attach(&id, "photo", &env.file("photo.jpg", &jpeg(200, 260)));
    let plain = env.file("plain.pdf", &pdf(&["Ada Lovelace, passport"]));
    let locked = env.dir.path().join("portfolio.pdf");
    encrypt_with_qpdf(&plain, &locked);
    env.attach(&id, "portfolio", &locked);

    let report = check_json(&env, &id);
    let cv = requirement(&report, "cv");
    assert_eq!(
        cv["status"], "ok",
        "a readable CV mentioning AI with the name: {cv}"
    );
    assert!(codes(cv).is_empty(), "nothing to say about a good CV: {cv}");

    let letter = requirement(&report, "motivation-letter");
    assert_eq!(
        letter["status"], "problem",
        "a truncated letter is a blocker"
    );
    assert_eq!(letter["findings"][0]["code"], "unreadable");
    assert_eq!(letter["findings"][0]["severity"], "blocker");
    assert_eq!(
        letter["reasons"],
        serde_json::json!([]),
        "the old reasons stay as they were"
    );

    let photo = requirement(&report, "photo");
    assert_eq!(
        photo["status"], "ok",
        "a warning never makes a problem: {photo}"
    );
    // The test JPEG is a header without image data. A portrait is not read
    // as a scan, so what OCR could not read is not said of a photo.
    assert_eq!(codes(photo), ["image-too-small"]);
    assert_eq!(photo["findings"][0]["severity"], "warning");

    let portfolio = requirement(&report, "portfolio");
    assert_eq!(portfolio["status"], "problem");
    assert_eq!(codes(portfolio), ["password-protected"]);

    let out = env.qujat().args(["check", &id]).output().expect("run");
    assert_eq!(out.status.code(), Some(3));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.contains("This file cannot be read as a PDF"), "{text}");
    assert!(
        text.contains("Use “Save without restrictions” and enter the password once"),
        "{text}"
    );
    assert!(text.contains("200 × 260 pixels"), "{text}");
    let russian = env
        .qujat()
        .args(["--lang", "ru", "check", &id])
        .output()
        .expect("run");
    assert!(
        String::from_utf8_lossy(&russian.stdout).contains("один раз введите пароль"),
        "hints follow the language"
    );
}

#[test]
fn a_warm_recheck_starts_no_inspection() {
    let env = Env::new();
    let id = env.new_dossier("Ada Lovelace");
    env.attach(&id, "cv", &env.file("cv.pdf", &pdf(&[CV])));
    env.attach(
        &id,
        "passport-copy",
        &env.file("passport.jpg", &jpeg(1600, 1100)),
    );
    let log = env.dir.path().join("inspections.log");
    let lines = || fs::read_to_string(&log).unwrap_or_default().lines().count();
    for _ in 0..2 {
        env.qujat()
            .env("QUJAT_INSPECT_LOG", &log)
            .args(["check", &id])
            .assert()
            .code(3);
    }
    assert_eq!(
        lines(),
        2,
        "two files, inspected once each, not again on the re-check"
    );
    let ws = qujat_core::Workspace::open(
        qujat_core::OpenOptions::new(env.data_dir())
            .unlock(qujat_core::keys::Unlock::with_passphrase("test passphrase")),
    )
    .expect("open");
    let docs = ws.documents(&id).expect("documents");
    // The cache read in the SQLite file itself, not through the core.
    let db = rusqlite::Connection::open(env.data_dir().join("qujat.sqlite3")).expect("store");
    let cached = docs
        .iter()
        .filter(|d| {
            db.query_row(
                "SELECT COUNT(*) FROM inspections WHERE sha256 = ?1",
                [&d.sha256],
                |row| row.get::<_, i64>(0),
            )
            .expect("query")
                == 1
        })
        .count();
    assert_eq!(cached, 2, "both verdicts are cached by hash");

    env.qujat()
        .env("QUJAT_INSPECT_LOG", &log)
        .args(["check", &id, "--reinspect"])
        .assert()
        .code(3);
    assert_eq!(lines(), 4, "--reinspect inspects every file again");
}

#[test]
fn a_changed_vault_file_is_reported_damaged_and_attaching_again_repairs_it() {
    let env = Env::new();
    let id = env.new_dossier("Ada Lovelace");
    let original = env.file("cv.pdf", &pdf(&[CV]));
    env.attach(&id, "cv", &original);
    let ws = qujat_core::Workspace::open(
        qujat_core::OpenOptions::new(env.data_dir())
            .unlock(qujat_core::keys::Unlock::with_passphrase("test passphrase")),
    )
    .expect("open");
    let sha = ws.documents(&id).expect("docs")[0].sha256.clone();
    let object = env
        .data_dir()
        .join("vault/objects")
        .join(&sha[..2])
        .join(&sha);
    assert!(
        object.is_file(),
        "the vault keeps {sha} at {}",
        object.display()
    );
    fs::write(object, pdf(&["Someone else"])).expect("tamper");

    let report = check_json(&env, &id);
    let cv = requirement(&report, "cv");
    assert_eq!(cv["status"], "problem");
    assert_eq!(
        codes(cv),
        ["vault-damaged"],
        "the bytes no longer match the hash: {cv}"
    );

    env.attach(&id, "cv", &original);
    let cv_after = check_json(&env, &id);
    assert_eq!(
        requirement(&cv_after, "cv")["status"],
        "ok",
        "the fresh copy is inspected again"
    );
}

#[test]
fn dates_are_entered_by_the_user_with_found_dates_only_as_suggestions() {
    let env = Env::new();
    let id = env.new_dossier("Ada Lovelace");
    let police = pdf(&["Certificate of no criminal record\nIssued 01.08.2024 to Ada Lovelace"]);
    env.attach(&id, "police-clearance", &env.file("police.pdf", &police));

    let before = check_json(&env, &id);
    let clearance = requirement(&before, "police-clearance");
    assert_eq!(
        clearance["status"], "needs-date",
        "a date found in the text is never used on its own"
    );
    // The apostille note is information beside it (the pack asks for
    // legalization and this text has no apostille heading).
    assert_eq!(
        codes(clearance),
        ["issue-date-needed", "apostille-not-seen"]
    );
    assert_eq!(
        clearance["findings"][0]["suggestions"],
        serde_json::json!(["2024-08-01"])
    );
    assert_eq!(clearance["datesFound"], serde_json::json!(["2024-08-01"]));

    env.qujat()
        .args(["dates", &id, "police-clearance"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Issued: not entered")
                .and(predicate::str::contains("2024-08-01")),
        );
    env.qujat()
        .args(["dates", &id, "police-clearance", "--issued", "2024-08-01"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Issued: 2024-08-01"));
    let after = check_json(&env, &id);
    let clearance = requirement(&after, "police-clearance");
    assert_eq!(
        clearance["status"], "problem",
        "a certificate from 2024 is too old now: {clearance}"
    );
    assert_eq!(codes(clearance), ["too-old", "apostille-not-seen"]);
    assert_eq!(clearance["findings"][0]["limitDays"], 180);
    let text = env.qujat().args(["check", &id]).output().expect("run");
    assert!(
        String::from_utf8_lossy(&text.stdout).contains("Request a new certificate: this one is"),
        "the hint says how old it is"
    );

    env.qujat()
        .args(["dates", &id, "police-clearance", "--issued", "2999-01-01"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("future"));
    env.qujat()
        .args(["dates", &id, "passport-copy", "--expires", "2030-01-01"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Nothing is attached"));
    env.qujat()
        .args(["dates", &id, "police-clearance", "--clear", "--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"dates\": {}"));
}

#[test]
fn check_survives_hostile_files_and_judges_each_one() {
    let env = Env::new();
    let id = env.new_dossier("Ada Lovelace");
    let valid = pdf(&[CV]);
    let mut flipped = valid.clone();
    for at in (40..flipped.len()).step_by(37) {
        flipped[at] ^= 0x5A;
    }
    let random: Vec<u8> = b"%PDF-1.7\n"
        .iter()
        .copied()
        .chain((0..3000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8))
        .collect();
    for (requirement, bytes) in [
        ("cv", &valid[..valid.len() / 2]),
        ("motivation-letter", &flipped[..]),
        ("portfolio", &random[..]),
    ] {
        env.attach(
            &id,
            requirement,
            &env.file(&format!("{requirement}.pdf"), bytes),
        );
    }
    let out = env
        .qujat()
        .args(["check", &id, "--json"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(3), "the check itself completes");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    for id in ["cv", "motivation-letter", "portfolio"] {
        let r = requirement(&report, id);
        assert!(
            !codes(r).contains(&"not-inspected".to_owned()),
            "{id} has a verdict of its own: {r}"
        );
    }
}
