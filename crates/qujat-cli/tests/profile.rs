//! The applicant's profile through the real binary: `new --citizenship`,
//! `profile`, the checklist and findings that fit the person, and the
//! deadlines a document's dates give, in `deadlines --json` and `--ics`
//! (read back with a real iCalendar parser).

use std::fs;
use std::io::BufReader;

use chrono::{Days, NaiveDate, Utc};
use predicates::prelude::*;
use serde_json::Value;

mod support;
use support::Env;

fn new_dossier(env: &Env, extra: &[&str]) -> String {
    let mut cmd = env.qujat();
    cmd.args(["new", "--program", "kz-in-demand", "--name", "Anna Weber"])
        .args(extra);
    support::succeed(&mut cmd).trim().to_owned()
}

fn json(env: &Env, args: &[&str]) -> Value {
    let out = env.qujat().args(args).output().expect("run");
    // `check` exits 3 for an incomplete dossier; its JSON is still there.
    assert!(
        out.status.success() || out.status.code() == Some(3),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// The police-clearance rows of `check --json`, in checklist order.
fn police_rows(report: &Value) -> Vec<Value> {
    let stages = report["stages"].as_array().expect("stages");
    let stage = stages
        .iter()
        .find(|s| {
            s["requirements"]
                .as_array()
                .expect("requirements")
                .iter()
                .any(|r| r["id"] == "police-clearance")
        })
        .expect("a stage with the police clearance");
    stage["requirements"]
        .as_array()
        .expect("requirements")
        .iter()
        .filter(|r| {
            r["id"]
                .as_str()
                .is_some_and(|id| id.starts_with("police-clearance"))
        })
        .cloned()
        .collect()
}

fn finding_codes(row: &Value) -> Vec<String> {
    row["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["code"].as_str().expect("code").to_owned())
        .collect()
}

#[test]
fn a_german_citizens_police_clearance_needs_an_apostille_and_a_russians_does_not() {
    let env = Env::new();
    let german = new_dossier(&env, &["--citizenship", "de"]);
    let report = json(&env, &["check", &german, "--json"]);
    assert_eq!(report["profile"]["citizenships"], serde_json::json!(["DE"]));
    let rows = police_rows(&report);
    assert_eq!(rows.len(), 1);
    let finding = &rows[0]["findings"][0];
    assert_eq!(finding["code"], "apostille-needed");
    assert_eq!(finding["country"], "DE");
    assert_eq!(finding["treaty"], "hague-apostille-1961");
    assert_eq!(finding["severity"], "info");

    env.qujat()
        .args(["check", &german])
        .assert()
        .code(3)
        .stdout(predicate::str::contains(
            "Issued in Germany: it needs an apostille (Hague Apostille Convention (1961)).",
        ));

    let russian = new_dossier(&env, &["--citizenship", "RU", "--residence", "KZ"]);
    let rows = police_rows(&json(&env, &["check", &russian, "--json"]));
    assert_eq!(finding_codes(&rows[0]), ["no-legalization-needed"]);
    assert_eq!(rows[0]["findings"][0]["treaty"], "minsk-1993");
    env.qujat()
        .args(["--lang", "ru", "check", &russian])
        .assert()
        .code(3)
        .stdout(predicate::str::contains(
            "ни апостиль, ни легализация не нужны (Минская конвенция о правовой помощи (1993))",
        ));

    let emirati = new_dossier(&env, &["--citizenship", "AE"]);
    let rows = police_rows(&json(&env, &["check", &emirati, "--json"]));
    assert_eq!(finding_codes(&rows[0]), ["legalization-needed"]);

    // Without a profile the checklist is as before: one row, no advice.
    let nobody = new_dossier(&env, &[]);
    let rows = police_rows(&json(&env, &["check", &nobody, "--json"]));
    assert_eq!(rows.len(), 1);
    assert!(finding_codes(&rows[0]).is_empty());
    assert!(rows[0].get("country").is_none());
}

#[test]
fn a_dual_citizen_gets_a_police_clearance_row_per_country_each_taking_its_own_file() {
    let env = Env::new();
    let id = new_dossier(&env, &["--citizenship", "DE", "--citizenship", "RU"]);
    let rows = police_rows(&json(&env, &["check", &id, "--json"]));
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().expect("id")).collect();
    assert_eq!(ids, ["police-clearance", "police-clearance@ru"]);
    assert_eq!(rows[0]["country"], "DE");
    assert_eq!(rows[1]["country"], "RU");
    assert_eq!(
        rows[0]["perCitizenship"],
        serde_json::Value::Null,
        "a report row, not the pack's"
    );
    assert_eq!(finding_codes(&rows[0]), ["apostille-needed"]);
    assert_eq!(finding_codes(&rows[1]), ["no-legalization-needed"]);

    let file = env.file("ru.pdf", &support::pdf(&["Spravka"]));
    env.attach(&id, "police-clearance@ru", &file);
    let rows = police_rows(&json(&env, &["check", &id, "--json"]));
    assert!(rows[0].get("document").is_none());
    assert_eq!(rows[1]["document"]["originalName"], "ru.pdf");

    // Back to one citizenship: the second row goes from the checklist.
    env.qujat()
        .args(["profile", &id, "--citizenship", "DE"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Citizenship: Germany (DE)"));
    let rows = police_rows(&json(&env, &["check", &id, "--json"]));
    assert_eq!(rows.len(), 1);
}

#[test]
fn the_profile_is_shown_changed_and_cleared_and_a_wrong_code_is_named() {
    let env = Env::new();
    let id = new_dossier(&env, &["--citizenship", "DE"]);
    let profile = json(&env, &["profile", &id, "--residence", "kz", "--json"]);
    assert_eq!(
        profile,
        serde_json::json!({ "citizenships": ["DE"], "residence": "KZ" }),
        "the citizenship stays when only the residence is given"
    );
    env.qujat()
        .args(["--lang", "kk", "profile", &id])
        .assert()
        .success()
        .stdout(predicate::str::contains("Азаматтығы: Германия (DE)"))
        .stdout(predicate::str::contains("Тұратын елі: Қазақстан (KZ)"));

    env.qujat()
        .args(["profile", &id, "--citizenship", "XX"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("“XX” is not a country code"));
    assert_eq!(
        json(&env, &["profile", &id, "--json"])["citizenships"][0],
        "DE"
    );
    env.qujat()
        .args([
            "new",
            "--program",
            "kz-in-demand",
            "--name",
            "X",
            "--citizenship",
            "Germany",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("“Germany” is not a country code"));

    env.qujat()
        .args(["profile", &id, "--clear"])
        .assert()
        .success()
        .stdout(predicate::str::contains("No profile recorded"));
    assert_eq!(
        json(&env, &["profile", &id, "--json"]),
        serde_json::json!({ "citizenships": [] })
    );
}

/// Today in Kazakhstan, the zone the built-in packs count in.
fn kz_today() -> NaiveDate {
    let packs = qujat_core::rules::builtin_packs().expect("packs");
    qujat_core::deadlines::today_in(qujat_core::deadlines::zone_of(&packs[0]), Utc::now())
}

#[test]
fn a_police_clearances_usable_until_is_a_deadline_in_json_and_in_the_calendar() {
    let env = Env::new();
    let id = new_dossier(&env, &["--citizenship", "DE"]);
    let file = env.file("clearance.pdf", &support::pdf(&["Fuehrungszeugnis"]));
    env.attach(&id, "police-clearance", &file);
    let issued = kz_today() - Days::new(20);
    env.qujat()
        .args([
            "dates",
            &id,
            "police-clearance",
            "--issued",
            &issued.to_string(),
        ])
        .assert()
        .success();

    let found = json(&env, &["deadlines", &id, "--json"]);
    let deadline = found["deadlines"]
        .as_array()
        .expect("deadlines")
        .iter()
        .find(|d| d["id"] == "police-clearance.usable-until")
        .expect("the police clearance's deadline")
        .clone();
    let until = issued + Days::new(180);
    assert_eq!(deadline["date"], until.to_string(), "issue day + 180 days");
    assert_eq!(deadline["document"], "police-clearance");
    assert_eq!(deadline["kind"], "last-day");
    assert_eq!(deadline["state"], "upcoming");
    assert_eq!(deadline["daysLeft"], 160);
    assert_eq!(deadline["basis"]["id"], "polisia-kz");
    assert_eq!(
        deadline["name"]["en"],
        "Police clearance certificate: usable for submission until"
    );

    let path = env.dir.path().join("qujat.ics");
    env.qujat()
        .args(["deadlines", &id, "--ics"])
        .arg(&path)
        .assert()
        .success();
    let text = fs::read_to_string(&path).expect("the calendar file");
    let mut parser = ical::IcalParser::new(BufReader::new(text.as_bytes()));
    let calendar = parser.next().expect("a calendar").expect("valid iCalendar");
    let prop = |e: &ical::parser::ical::component::IcalEvent, name: &str| {
        e.properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap_or_default()
    };
    let entry = calendar
        .events
        .iter()
        .find(|e| prop(e, "DTSTART") == until.format("%Y%m%d").to_string())
        .expect("the usable-until day in the calendar");
    assert!(
        prop(entry, "SUMMARY")
            .starts_with("Police clearance certificate: usable for submission until"),
        "{}",
        prop(entry, "SUMMARY")
    );
    assert_eq!(
        prop(entry, "UID"),
        qujat_core::ics::uid(&id, "police-clearance.usable-until"),
        "a stable UID, so a new export updates the entry"
    );
    let triggers: Vec<String> = entry
        .alarms
        .iter()
        .filter_map(|a| a.properties.iter().find(|p| p.name == "TRIGGER"))
        .filter_map(|p| p.value.clone())
        .collect();
    assert_eq!(triggers, ["-P30D", "-P7D", "-P1D"]);

    // Dates entered for a file do not carry over to another one.
    let other = env.file("new.pdf", &support::pdf(&["Neues Zeugnis"]));
    env.attach(&id, "police-clearance", &other);
    let found = json(&env, &["deadlines", &id, "--json"]);
    assert!(found["deadlines"]
        .as_array()
        .expect("deadlines")
        .iter()
        .all(|d| d["id"] != "police-clearance.usable-until"));
}

#[test]
fn a_visa_free_entry_counts_the_days_used_and_left_in_json_text_and_calendar() {
    let env = Env::new();
    let id = new_dossier(&env, &["--citizenship", "DE"]);
    let before = json(&env, &["deadlines", &id, "--json"]);
    assert!(
        !before["deadlines"]
            .as_array()
            .expect("deadlines")
            .iter()
            .any(|d| d["id"].as_str().is_some_and(|i| i.starts_with("visa-free"))),
        "nothing to count before an entry: {before}"
    );

    let entered = kz_today() - Days::new(9);
    env.qujat()
        .args([
            "event",
            &id,
            "entered-visa-free",
            "--date",
            &entered.to_string(),
        ])
        .assert()
        .success();
    let found = json(&env, &["deadlines", &id, "--json"]);
    let stay = found["deadlines"]
        .as_array()
        .expect("deadlines")
        .iter()
        .find(|d| d["id"] == "visa-free-stay.90-in-180")
        .expect("the visa-free stay's last day")
        .clone();
    let last = entered + Days::new(89);
    assert_eq!(stay["date"], last.to_string(), "the entry day is day 1");
    assert_eq!(
        stay["stay"],
        serde_json::json!({ "allowed": 90, "within": 180, "used": 10, "left": 80 })
    );
    assert_eq!(stay["basis"]["id"], "dos-immigration-dnr-case");
    assert_eq!(stay["basis"]["standing"], "third-party");

    env.qujat()
        .args(["deadlines", &id, "--lang", "ru"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Использовано дней: 10 из 90, осталось: 80.",
        ));

    let path = env.dir.path().join("stay.ics");
    env.qujat()
        .args(["deadlines", &id, "--ics"])
        .arg(&path)
        .assert()
        .success();
    let text = fs::read_to_string(&path).expect("the calendar file");
    let mut parser = ical::IcalParser::new(BufReader::new(text.as_bytes()));
    let calendar = parser.next().expect("a calendar").expect("valid iCalendar");
    let uid = qujat_core::ics::uid(&id, "visa-free-stay.90-in-180");
    let entry = calendar
        .events
        .iter()
        .find(|e| {
            e.properties
                .iter()
                .any(|p| p.name == "UID" && p.value.as_deref() == Some(uid.as_str()))
        })
        .expect("the last safe day in the calendar, with a stable UID");
    let start = entry
        .properties
        .iter()
        .find(|p| p.name == "DTSTART")
        .and_then(|p| p.value.clone());
    assert_eq!(start, Some(last.format("%Y%m%d").to_string()));
}
