//! `qujat event`, `event-remove`, `timeline` and `deadlines` through the real
//! binary on a temporary data folder. Deadlines depend on the real clock, so
//! the tests that look at their state date the events relative to today in
//! Kazakhstan.

use std::fs;
use std::io::BufReader;
use std::path::PathBuf;

use assert_cmd::Command;
use chrono::{Days, NaiveDate, Utc};
use ical::parser::ical::component::IcalEvent;
use predicates::prelude::*;
use serde_json::Value;

mod support;

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn qujat(&self) -> Command {
        let mut cmd = support::qujat_at(&self.dir.path().join("data"));
        cmd.env("TZ", "Asia/Almaty");
        cmd
    }

    fn new_dossier(&self) -> String {
        support::new_dossier_with(self.qujat(), "Ada Lovelace")
    }

    fn event(&self, dossier: &str, kind: &str, date: &str) {
        self.qujat()
            .args(["event", dossier, kind, "--date", date])
            .assert()
            .success();
    }

    fn json(&self, args: &[&str]) -> Value {
        let out = self.qujat().args(args).output().expect("run");
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("JSON on stdout")
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// Today in Kazakhstan, the zone the built-in packs count in.
fn kz_today() -> NaiveDate {
    let packs = qujat_core::rules::builtin_packs().expect("packs");
    qujat_core::deadlines::today_in(qujat_core::deadlines::zone_of(&packs[0]), Utc::now())
}

fn days_ago(n: u64) -> String {
    kz_today()
        .checked_sub_days(Days::new(n))
        .expect("date")
        .to_string()
}

fn deadline<'a>(deadlines: &'a Value, id: &str) -> &'a Value {
    deadlines["deadlines"]
        .as_array()
        .expect("deadlines")
        .iter()
        .find(|d| d["id"] == id)
        .unwrap_or_else(|| panic!("no deadline {id}"))
}

fn entry<'a>(timeline: &'a Value, kind: &str) -> &'a Value {
    timeline["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .flat_map(|s| s["entries"].as_array().expect("entries"))
        .chain(timeline["other"].as_array().expect("other"))
        .find(|e| e["kind"] == kind)
        .unwrap_or_else(|| panic!("no entry {kind}"))
}

/// Submitted on Astana Hub, notice, eGov: the path to a decision.
fn through_egov(env: &Env, id: &str) {
    env.event(id, "astana-hub-submitted", "2025-02-01");
    env.event(id, "ministry-notice-received", "2025-02-20");
    env.event(id, "egov-submitted", "2025-03-01");
}

#[test]
fn events_are_recorded_corrected_and_removed_and_the_history_keeps_all() {
    let env = Env::new();
    let id = env.new_dossier();
    through_egov(&env, &id);
    env.qujat()
        .args([
            "event",
            &id,
            "approved",
            "--date",
            "2025-03-10",
            "--note",
            "letter via eGov",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Recorded event 4: Permit approved, 2025-03-10.",
        ));
    env.qujat()
        .args(["event", &id, "--correct", "4", "--date", "2025-03-12"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Corrected event 4"));
    env.qujat()
        .args(["event-remove", &id, "4"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Removed event 4"));

    let t = env.json(&["timeline", &id, "--json"]);
    assert_eq!(t["currentStage"], "egov", "the approval is gone again");
    assert_eq!(entry(&t, "egov-submitted")["event"]["date"], "2025-03-01");
    assert!(entry(&t, "approved")["event"].is_null());
    let actions: Vec<&str> = t["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|c| c["action"].as_str().expect("action"))
        .collect();
    assert_eq!(
        actions,
        ["added", "added", "added", "added", "corrected", "removed"],
        "every change is kept, including those to the removed event"
    );
    let correction = &t["history"][4];
    assert_eq!(correction["before"]["date"], "2025-03-10");
    assert_eq!(correction["after"]["date"], "2025-03-12");
    assert_eq!(
        correction["after"]["note"], "letter via eGov",
        "a correction of the day keeps the note"
    );

    env.qujat()
        .args(["timeline", &id])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Current stage: Application on eGov")
                .and(predicate::str::contains("History of changes"))
                .and(predicate::str::contains("removed #4 approved, 2025-03-12")),
        );
}

#[test]
fn impossible_sequences_get_a_clear_message_exit_2_and_change_nothing() {
    let env = Env::new();
    let id = env.new_dossier();
    env.event(&id, "astana-hub-submitted", "2025-02-01");
    let tomorrow = kz_today()
        .checked_add_days(Days::new(2))
        .expect("date")
        .to_string();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["event", &id, "approved", "--date", "2025-03-10"],
            "“approved” can only come after “egov-submitted”",
        ),
        (
            vec!["event", &id, "interview-done", "--date", "2025-01-31"],
            "“interview-done” on 2025-01-31 cannot come before “astana-hub-submitted” on 2025-02-01",
        ),
        (
            vec!["event", &id, "interview-done", "--date", &tomorrow],
            "is in the future",
        ),
        (
            vec!["event", &id, "aproved", "--date", "2025-03-10"],
            "The events are: astana-hub-submitted, interview-done",
        ),
        (
            vec!["event", &id, "astana-hub-submitted", "--date", "2025-02-02"],
            "already recorded as event 1",
        ),
        (
            vec!["event", &id, "interview-done", "--date", "2025-02-30"],
            "YYYY-MM-DD",
        ),
        (vec!["event-remove", &id, "7"], "no event 7. Its events are: 1"),
        (
            vec!["event", &id, "--correct", "1", "--date", "2099-01-01"],
            "is in the future",
        ),
    ];
    for (args, expected) in cases {
        env.qujat()
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(expected));
    }
    let t = env.json(&["timeline", &id, "--json"]);
    assert_eq!(
        t["history"].as_array().expect("history").len(),
        1,
        "no refused change reaches the store or its history"
    );
}

#[test]
fn removing_an_event_a_later_one_needs_is_refused_and_so_is_a_refusal_after_an_approval() {
    let env = Env::new();
    let id = env.new_dossier();
    through_egov(&env, &id);
    env.event(&id, "approved", "2025-03-10");
    env.qujat()
        .args(["event-remove", &id, "3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "“egov-submitted” cannot be removed or changed: “approved” depends on it",
        ));
    env.qujat()
        .args(["event", &id, "--correct", "3", "--date", "2025-03-11"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot come before"));
    env.qujat()
        .args(["event", &id, "rejected", "--date", "2025-03-11"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot be recorded together with “approved”",
        ));
    env.qujat()
        .args([
            "--lang",
            "ru",
            "event",
            &id,
            "rejected",
            "--date",
            "2025-03-11",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("нельзя записать вместе"));
}

#[test]
fn the_entry_window_counts_from_the_approval_in_kazakhstan_days() {
    let env = Env::new();
    let id = env.new_dossier();
    env.event(&id, "astana-hub-submitted", &days_ago(80));
    env.event(&id, "ministry-notice-received", &days_ago(60));
    env.event(&id, "egov-submitted", &days_ago(40));
    let d = env.json(&["deadlines", &id, "--json"]);
    assert_eq!(d["timeZone"], "Asia/Almaty");
    assert_eq!(d["today"], kz_today().to_string());
    let decision = deadline(&d, "decision-expected");
    assert_eq!(
        decision["daysLeft"], 5,
        "45 days after a submission 40 days ago"
    );
    assert_eq!(
        decision["state"], "upcoming",
        "the status reminder is 3 days before"
    );
    assert_eq!(deadline(&d, "entry-window")["state"], "pending");

    env.event(&id, "approved", &days_ago(25));
    let d = env.json(&["deadlines", &id, "--json"]);
    let entry = deadline(&d, "entry-window");
    assert_eq!(entry["daysLeft"], 5);
    assert_eq!(entry["state"], "due-soon", "within the 7-day reminder");
    assert_eq!(entry["reminders"].as_array().expect("reminders").len(), 3);
    assert_eq!(deadline(&d, "decision-expected")["state"], "done");
    let reapply = deadline(&d, "reapply-earliest");
    assert_eq!(
        reapply["basis"]["type"], "unknown",
        "not confirmed: {reapply}"
    );
    assert_eq!(reapply["basis"]["id"], "reapply-waiting-period");

    env.event(&id, "arrived", &days_ago(1));
    let d = env.json(&["deadlines", &id, "--json"]);
    assert_eq!(deadline(&d, "entry-window")["state"], "done");
    assert_eq!(deadline(&d, "entry-window")["settledBy"], "arrived");
}

#[test]
fn a_closed_program_is_flagged_with_its_sources() {
    let env = Env::new();
    let id = env.new_dossier();
    let d = env.json(&["deadlines", &id, "--json"]);
    assert_eq!(d["programWindow"]["closes"], "2025-12-31");
    assert_eq!(
        d["programWindow"]["closed"], true,
        "the pilot ran until the end of 2025"
    );
    env.qujat()
        .args(["deadlines", &id])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("known window closed on 2025-12-31")
                .and(predicate::str::contains("Source: Joint order")),
        );
}

#[test]
fn the_users_own_clock_is_shown_only_where_it_differs_from_kazakhstan() {
    let env = Env::new();
    let id = env.new_dossier();
    through_egov(&env, &id);
    env.event(&id, "approved", &days_ago(20));
    let in_zone = |tz: &str| {
        let out = env
            .qujat()
            .env("TZ", tz)
            .args(["deadlines", &id])
            .output()
            .expect("run");
        assert!(out.status.success());
        String::from_utf8(out.stdout).expect("utf-8")
    };
    let new_york = in_zone("America/New_York");
    assert!(
        new_york.contains("your time (UTC-04:00)") || new_york.contains("your time (UTC-05:00)"),
        "New York sees when the Kazakh day ends on its own clock:\n{new_york}"
    );
    let almaty = in_zone("Asia/Almaty");
    assert!(
        !almaty.contains("your time"),
        "in Almaty the day alone says it:\n{almaty}"
    );
}

fn parse_ics(path: &PathBuf) -> Vec<IcalEvent> {
    let text = fs::read_to_string(path).expect("the calendar file");
    let mut parser = ical::IcalParser::new(BufReader::new(text.as_bytes()));
    let calendar = parser.next().expect("a calendar").expect("valid iCalendar");
    calendar.events
}

fn prop(e: &IcalEvent, name: &str) -> String {
    e.properties
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.value.clone())
        .unwrap_or_else(|| panic!("no {name}"))
}

#[test]
fn the_calendar_export_parses_and_a_new_export_updates_the_same_entries() {
    let env = Env::new();
    let id = env.new_dossier();
    through_egov(&env, &id);
    env.event(&id, "approved", "2025-03-10");
    let path = env.path("qujat.ics");
    env.qujat()
        .args(["deadlines", &id, "--ics"])
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::contains("Wrote 3 calendar entries"));

    let first = parse_ics(&path);
    assert_eq!(first.len(), 3);
    let entry = first
        .iter()
        .find(|e| prop(e, "DTSTART") == "20250409")
        .expect("the last day to enter: 10 March + 30 days");
    let triggers: Vec<String> = entry
        .alarms
        .iter()
        .map(|a| {
            a.properties
                .iter()
                .find(|p| p.name == "TRIGGER")
                .and_then(|p| p.value.clone())
                .expect("TRIGGER")
        })
        .collect();
    assert_eq!(triggers, ["-P7D", "-P3D", "-P1D"]);
    assert_eq!(prop(entry, "STATUS"), "CONFIRMED");
    let sequence: i64 = prop(entry, "SEQUENCE").parse().expect("a number");

    env.event(&id, "arrived", "2025-04-01");
    env.qujat()
        .args(["deadlines", &id, "--json", "--ics"])
        .arg(&path)
        .assert()
        .success();
    let second = parse_ics(&path);
    let uids = |events: &[IcalEvent]| {
        let mut u: Vec<String> = events.iter().map(|e| prop(e, "UID")).collect();
        u.sort();
        u
    };
    assert_eq!(
        uids(&first),
        uids(&second),
        "the same entries, so a re-import updates them"
    );
    let entry_again = second
        .iter()
        .find(|e| prop(e, "UID") == prop(entry, "UID"))
        .expect("entry window");
    assert_eq!(
        prop(entry_again, "STATUS"),
        "CANCELLED",
        "the arrival settled it"
    );
    assert!(entry_again.alarms.is_empty());
    assert!(
        prop(entry_again, "SEQUENCE")
            .parse::<i64>()
            .expect("number")
            > sequence,
        "a newer revision, so calendars take the update"
    );
    let left: Vec<_> = fs::read_dir(env.dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "no temporary file is left: {left:?}");
}

#[test]
fn a_calendar_file_in_a_missing_folder_is_refused_and_nothing_is_written() {
    let env = Env::new();
    let id = env.new_dossier();
    through_egov(&env, &id);
    env.event(&id, "approved", "2025-03-10");
    let path = env.path("no/such/folder/qujat.ics");
    env.qujat()
        .args(["deadlines", &id, "--ics"])
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot write"));
    assert!(!path.exists());
}

#[test]
fn a_calendar_without_dated_deadlines_is_not_written_and_says_why() {
    let env = Env::new();
    let id = env.new_dossier();
    let path = env.path("qujat.ics");
    env.qujat()
        .args(["deadlines", &id, "--ics"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nothing to add to a calendar yet"));
    assert!(!path.exists(), "no empty calendar file");
    env.qujat()
        .args(["--lang", "ru", "deadlines", &id, "--ics"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "Добавлять в календарь пока нечего",
        ));
}
