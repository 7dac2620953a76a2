//! Program status and review dates through the real `qujat` binary: the
//! listing says which programs are open and when their rules are due for
//! review, a closed program asks for `--closed-program-ok` before a new
//! dossier, and a signed pack update can reopen it.

use std::fs;
use std::path::Path;

use predicates::prelude::*;
use serde_json::Value;

mod support;

#[path = "../../../tests/fixtures/publisher.rs"]
mod publisher;
use publisher::Publisher;
use qujat_core::rules::installed::TrustedKey;

use support::qujat_at;

fn programs_json(data: &Path, key: Option<&Path>) -> Vec<Value> {
    let mut cmd = qujat_at(data);
    cmd.args(["programs", "--json"]);
    if let Some(key) = key {
        cmd.env("QUJAT_RULES_TRUSTED_KEY", key);
    }
    let out = cmd.output().expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Value>(&out.stdout)
        .expect("JSON")
        .as_array()
        .expect("an array")
        .clone()
}

fn today() -> String {
    chrono::Local::now().date_naive().to_string()
}

#[test]
fn programs_json_gives_status_and_review_dates_with_the_open_route_first() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let programs = programs_json(&tmp.path().join("data"), None);
    let ids: Vec<_> = programs
        .iter()
        .map(|p| p["id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        ids,
        ["kz-in-demand", "kz-ai-pilot"],
        "the in-demand route is offered first"
    );
    assert_eq!(programs[0]["status"], "open");
    assert_eq!(programs[1]["status"], "closed");
    assert_eq!(programs[1]["closes"], "2025-12-31");
    for p in &programs {
        let review_by = p["reviewBy"].as_str().expect("reviewBy is a date");
        let reviewed = p["reviewed"].as_str().expect("reviewed is a date");
        assert!(reviewed < review_by, "{p}");
        // Worked out for the real today, so the test stays right after
        // the date passes.
        assert_eq!(
            p["reviewOverdue"].as_bool(),
            Some(today().as_str() > review_by),
            "{p}"
        );
    }
}

#[test]
fn a_closed_program_needs_the_confirmation_and_an_open_one_does_not() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("data");
    qujat_at(&data)
        .args([
            "new",
            "--program",
            "kz-ai-pilot",
            "--name",
            "Ada Lovelace",
            "--lang",
            "ru",
        ])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("«kz-ai-pilot» закрыта")
                .and(predicate::str::contains("--closed-program-ok")),
        );
    qujat_at(&data)
        .args(["list", "--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("kz-ai-pilot").not());

    qujat_at(&data)
        .args(["new", "--program", "kz-in-demand", "--name", "Ada Lovelace"])
        .assert()
        .success();
    let id = qujat_at(&data)
        .args([
            "new",
            "--program",
            "kz-ai-pilot",
            "--name",
            "Ada Lovelace",
            "--closed-program-ok",
        ])
        .output()
        .expect("run");
    assert!(
        id.status.success(),
        "{}",
        String::from_utf8_lossy(&id.stderr)
    );
    let id = String::from_utf8(id.stdout)
        .expect("utf-8")
        .trim()
        .to_owned();
    // The closed program's dossier stays fully usable: its check runs.
    qujat_at(&data)
        .args(["check", &id, "--json"])
        .assert()
        .code(3)
        .stdout(predicate::str::contains("\"id\": \"kz-ai-pilot\""));
    // The text listing says which program is closed.
    qujat_at(&data)
        .args(["programs"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Closed: takes no new applications",
        ));
}

#[test]
fn a_signed_update_reopens_the_pilot_and_an_overdue_review_is_said() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("data");
    let publisher = Publisher::new();
    let key_file = tmp.path().join("test.pub");
    fs::write(&key_file, publisher.public_key_file()).expect("key");

    let builtin = include_str!("../../qujat-core/rules/kz-ai-pilot.toml");
    let version = qujat_core::rules::builtin_packs().expect("packs")[0]
        .version
        .clone();
    let (year, n) = version.split_once('.').expect("YYYY.N");
    let next = format!("{year}.{}", n.parse::<u32>().expect("N") + 1);
    let reviewed = builtin
        .lines()
        .find(|l| l.starts_with("reviewed = "))
        .expect("reviewed line");
    let review_by = builtin
        .lines()
        .find(|l| l.starts_with("review-by = "))
        .expect("review-by line");
    // Reopened, its window extended, and reviewed long ago so that the
    // review is overdue today.
    let pack = builtin
        .replacen(
            &format!("version = \"{version}\""),
            &format!("version = \"{next}\""),
            1,
        )
        .replacen("status = \"closed\"", "status = \"open\"", 1)
        .replacen("closes = 2025-12-31", "closes = 2099-12-31", 1)
        .replacen(reviewed, "reviewed = 2024-01-01", 1)
        .replacen(review_by, "review-by = 2024-06-30", 1);
    let signature = publisher.sign(pack.as_bytes());
    let rules = data.join("rules");
    fs::create_dir_all(&rules).expect("rules dir");
    fs::write(rules.join(format!("kz-ai-pilot@{next}.toml")), &pack).expect("pack");
    fs::write(
        rules.join(format!("kz-ai-pilot@{next}.toml.minisig")),
        signature,
    )
    .expect("sig");

    let programs = programs_json(&data, Some(&key_file));
    let pilot = programs
        .iter()
        .find(|p| p["id"] == "kz-ai-pilot")
        .expect("pilot listed");
    assert_eq!(pilot["version"], next.as_str(), "the update is in use");
    assert_eq!(pilot["status"], "open", "the signed update reopened it");
    assert_eq!(pilot["reviewOverdue"], true);
    assert_eq!(pilot["reviewBy"], "2024-06-30");

    qujat_at(&data)
        .args(["programs"])
        .env("QUJAT_RULES_TRUSTED_KEY", &key_file)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("last reviewed on 2024-01-01")
                .and(predicate::str::contains("may be out of date")),
        );
    qujat_at(&data)
        .args(["checklist", "--program", "kz-ai-pilot", "--lang", "kk"])
        .env("QUJAT_RULES_TRUSTED_KEY", &key_file)
        .assert()
        .success()
        .stderr(predicate::str::contains("ескірген болуы мүмкін"));
    // Reopened: no confirmation needed any more.
    qujat_at(&data)
        .args(["new", "--program", "kz-ai-pilot", "--name", "Ada Lovelace"])
        .env("QUJAT_RULES_TRUSTED_KEY", &key_file)
        .assert()
        .success()
        .stderr(predicate::str::contains("may be out of date"));
}
