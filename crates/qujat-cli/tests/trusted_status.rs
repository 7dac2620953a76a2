//! A status that can be trusted, through the real binary: a document under a
//! validity rule is "needs a date" until its date is entered (in `check`,
//! its `--json` and the package's blockers alike), and a file whose name
//! lies about its kind is called what it is.

mod support;

use chrono::{Days, Local};
use serde_json::Value;
use support::{codes, jpeg, pdf, requirement, Env};

fn stage<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no stage {id} in the report"))
}

fn check(env: &Env, dossier: &str) -> (Value, String) {
    let json = env
        .qujat()
        .args(["check", dossier, "--json"])
        .output()
        .expect("run");
    let text = env.qujat().args(["check", dossier]).output().expect("run");
    (
        serde_json::from_slice(&json.stdout).expect("check --json prints JSON"),
        String::from_utf8_lossy(&text.stdout).into_owned(),
    )
}

/// What `pack` of the eGov stage says on stderr (it cannot succeed: the
/// stage's other documents are missing; what matters is which are named).
fn egov_blockers(env: &Env, dossier: &str) -> String {
    let out = env
        .qujat()
        .args(["pack", dossier, "--stage", "egov", "--out"])
        .arg(env.data_dir().with_file_name("egov.zip"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2), "an incomplete stage is refused");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn an_undated_certificate_needs_a_date_everywhere_until_it_is_entered() {
    let env = Env::new();
    let id = env.new_dossier("Ada Lovelace");
    let police = pdf(&["Certificate of no criminal record\nIssued 10.01.2025 to Ada Lovelace"]);
    env.attach(&id, "police-clearance", &env.file("police.pdf", &police));

    let (report, text) = check(&env, &id);
    let clearance = requirement(&report, "police-clearance");
    assert_eq!(clearance["status"], "needs-date", "{clearance}");
    // The pack asks for an apostille and the text has none: information,
    // after the missing date.
    assert_eq!(
        codes(clearance),
        ["issue-date-needed", "apostille-not-seen"]
    );
    assert_eq!(clearance["findings"][0]["severity"], "warning");
    assert_eq!(
        clearance["datesFound"],
        serde_json::json!(["2025-01-10"]),
        "the date in the document is offered"
    );
    assert_eq!(stage(&report, "astana-hub")["complete"], false);
    let line = text
        .lines()
        .find(|l| l.split_whitespace().nth(1) == Some("police-clearance"))
        .expect("a line for the clearance");
    assert!(
        line.contains("[?!]") && line.contains("needs a date"),
        "the text output agrees: {line}"
    );
    assert!(
        egov_blockers(&env, &id).contains("police-clearance"),
        "an undated certificate blocks the package"
    );

    // The old date found in the text, once accepted, makes it a problem.
    env.qujat()
        .args(["dates", &id, "police-clearance", "--issued", "2025-01-10"])
        .assert()
        .success();
    let (report, _) = check(&env, &id);
    assert_eq!(
        requirement(&report, "police-clearance")["status"],
        "problem"
    );

    // A recent one makes it ready, and no longer a blocker.
    let recent = Local::now()
        .date_naive()
        .checked_sub_days(Days::new(10))
        .expect("a day");
    env.qujat()
        .args(["dates", &id, "police-clearance", "--issued"])
        .arg(recent.to_string())
        .assert()
        .success();
    let (report, text) = check(&env, &id);
    assert_eq!(requirement(&report, "police-clearance")["status"], "ok");
    let line = text
        .lines()
        .find(|l| l.split_whitespace().nth(1) == Some("police-clearance"))
        .expect("a line for the clearance");
    assert!(line.contains("[ok]"), "{line}");
    assert!(
        !egov_blockers(&env, &id).contains("police-clearance"),
        "a dated, fresh certificate no longer blocks"
    );
}

#[test]
fn a_jpeg_renamed_to_pdf_is_called_a_jpeg() {
    let env = Env::new();
    let id = env.new_dossier("Ada Lovelace");
    let photo = jpeg(413, 531);
    env.attach(&id, "photo", &env.file("photo.pdf", &photo));
    // Other bytes: the same file under two requirements is a problem of its own.
    env.attach(&id, "cv", &env.file("cv.pdf", &jpeg(640, 480)));

    let (report, text) = check(&env, &id);
    let accepted = requirement(&report, "photo");
    assert_eq!(accepted["status"], "ok", "{accepted}");
    let note = accepted["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["code"] == "disguised-kind")
        .unwrap_or_else(|| panic!("the renamed photo is pointed out: {accepted}"));
    assert_eq!(note["kind"], "jpeg");
    assert_eq!(note["named"], "pdf");
    assert_eq!(note["extension"], "jpg");

    let refused = requirement(&report, "cv");
    assert_eq!(refused["status"], "problem");
    assert!(codes(refused).contains(&"disguised-kind-refused".to_owned()));
    assert!(
        text.contains("named “.pdf” but is really a JPEG")
            && text.contains("packages save it as “.jpg”")
            && text.contains("does not accept JPEG"),
        "the text output says what the files are: {text}"
    );
}

#[test]
fn check_ends_with_the_next_step_of_the_whole_case() {
    let env = Env::new();
    let id = env.new_dossier("Ada Lovelace");
    let (_, fresh) = check(&env, &id);
    assert!(
        fresh.contains("Next step: confirm “Formal request at an embassy or consulate”"),
        "a new case starts at the embassy: {fresh}"
    );

    let today = Local::now().date_naive();
    let before = |n: u64| {
        today
            .checked_sub_days(Days::new(n))
            .expect("a day")
            .to_string()
    };
    for (kind, days) in [
        ("astana-hub-submitted", 70),
        ("ministry-notice-received", 50),
        ("egov-submitted", 40),
        ("approved", 18),
    ] {
        env.qujat()
            .args(["event", &id, kind, "--date", &before(days)])
            .assert()
            .success();
    }
    let (_, approved) = check(&env, &id);
    let line = approved
        .lines()
        .find(|l| l.starts_with("Next step:"))
        .unwrap_or_else(|| panic!("a next step line: {approved}"));
    assert!(
        line.contains("Last day to enter Kazakhstan")
            && line.contains("days left:")
            && line.contains("Then record “Arrived in Kazakhstan”"),
        "after the approval, the entry deadline, not the embassy: {line}"
    );
    assert!(!line.contains("embassy"), "{line}");
}
