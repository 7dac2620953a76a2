//! The next step over real reports, events and deadlines, on a temporary
//! workspace with the built-in pilot pack.

use chrono::{Days, TimeZone, Utc};

use super::*;
use crate::Workspace;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 20).expect("a day")
}

fn before(days: u64) -> NaiveDate {
    today().checked_sub_days(Days::new(days)).expect("a day")
}

/// Morning in Almaty on `today()`: the zone's day and the user's agree.
fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 20, 6, 0, 0)
        .single()
        .expect("a time")
}

struct Case {
    _dir: tempfile::TempDir,
    ws: Workspace,
    id: String,
}

impl Case {
    fn new() -> Case {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut ws = Workspace::open(&dir.path().join("data")).expect("workspace");
        let id = ws
            .create_dossier("kz-ai-pilot", "Ada Lovelace", now())
            .expect("dossier")
            .id;
        Case { _dir: dir, ws, id }
    }

    fn record(&mut self, kind: &str, date: NaiveDate) {
        self.ws
            .record_event(&self.id, kind, date, None, today(), now())
            .expect("the event is recorded");
    }

    fn next(&self) -> NextStep {
        self.ws
            .next_step(&self.id, today(), now())
            .expect("a next step")
    }

    /// The next step as if every required item of `stages` were ok.
    fn next_with_ready(&self, stages: &[&str]) -> NextStep {
        let mut report = self.ws.report(&self.id, None, today()).expect("report");
        for stage in report
            .stages
            .iter_mut()
            .filter(|s| stages.contains(&s.id.as_str()))
        {
            for r in &mut stage.requirements {
                r.status = Status::Ok;
            }
        }
        let pack = self.ws.program("kz-ai-pilot").expect("pack");
        let events = self.ws.timeline(&self.id, today()).expect("timeline");
        let events: Vec<Event> = events
            .stages
            .iter()
            .flat_map(|s| &s.entries)
            .filter_map(|e| e.event.clone())
            .collect();
        let deadlines = self.ws.deadlines(&self.id, now()).expect("deadlines");
        next_step(pack, &report, &events, &deadlines.deadlines)
    }
}

fn requirement(step: &NextStep) -> (&str, &str, Status) {
    match &step.action {
        NextAction::Requirement {
            stage,
            requirement,
            status,
            ..
        } => (stage.as_str(), requirement.as_str(), *status),
        other => panic!("expected a requirement, got {other:?}"),
    }
}

#[test]
fn a_new_case_starts_with_the_first_item_of_the_first_stage() {
    let case = Case::new();
    let step = case.next();
    assert_eq!(step.stage, "embassy");
    assert_eq!(
        requirement(&step),
        ("embassy", "embassy-request", Status::Missing)
    );
}

#[test]
fn after_the_approval_the_entry_deadline_comes_first_and_the_case_is_past_the_embassy() {
    let mut case = Case::new();
    case.record("astana-hub-submitted", before(70));
    case.record("ministry-notice-received", before(50));
    case.record("egov-submitted", before(40));
    case.record("approved", before(18));
    // The embassy steps were never confirmed: they are behind the case now.
    let step = case.next();
    assert_eq!(step.stage, "arrival", "the case goes on to the arrival");
    match step.action {
        NextAction::Deadline {
            deadline,
            date,
            days_left,
            record,
            ..
        } => {
            assert_eq!(deadline, "entry-window");
            assert_eq!(date, before(18) + Days::new(30));
            assert_eq!(days_left, 12);
            assert_eq!(record.as_deref(), Some("arrived"));
        }
        other => panic!("expected the entry deadline, got {other:?}"),
    }

    // Once arrived, the arrival stage's own items are next.
    case.record("arrived", before(2));
    let step = case.next();
    assert_eq!(step.stage, "arrival");
    let (stage, _, status) = requirement(&step);
    assert_eq!((stage, status), ("arrival", Status::Missing));
}

#[test]
fn a_submitted_case_needs_its_stage_first_then_waits_for_the_decision() {
    let mut case = Case::new();
    case.record("astana-hub-submitted", before(70));
    case.record("ministry-notice-received", before(50));
    case.record("egov-submitted", before(5));
    // The eGov stage's own items before anything else.
    let step = case.next();
    assert_eq!(requirement(&step).0, "egov");

    // With them in place, the decision is waited for.
    let step = case.next_with_ready(&["egov"]);
    assert_eq!(step.stage, "migration-review");
    match step.action {
        NextAction::Wait {
            deadline,
            days_left,
            ..
        } => {
            assert_eq!(deadline, "decision-expected");
            assert_eq!(days_left, 40);
        }
        other => panic!("expected to wait for the decision, got {other:?}"),
    }
}

#[test]
fn a_document_waiting_for_its_date_is_the_next_step() {
    let mut case = Case::new();
    let file = case._dir.path().join("police.pdf");
    std::fs::write(&file, b"%PDF-1.4\n% police\n%%EOF\n").expect("fixture");
    for step in [
        "embassy-request",
        "passport-certified",
        "police-clearance-legalized",
        "iin",
        "digital-signature",
    ] {
        case.ws
            .confirm_step(&case.id, step, before(30), today(), now())
            .expect("confirm");
    }
    case.record("astana-hub-submitted", before(3));
    case.ws
        .attach(&case.id, "police-clearance", &file, now())
        .expect("attach");
    let report = case.ws.report(&case.id, None, today()).expect("report");
    let hub = report
        .stages
        .iter()
        .find(|s| s.id == "astana-hub")
        .expect("stage");
    let first_open = hub
        .requirements
        .iter()
        .find(|r| r.presence == Presence::Required && r.status != Status::Ok)
        .expect("an open item");
    let step = case.next();
    assert_eq!(step.stage, "astana-hub");
    assert_eq!(requirement(&step).1, first_open.id);

    // Only the undated clearance left in the stage: it is the next step.
    let mut report = report.clone();
    for stage in &mut report.stages {
        for r in &mut stage.requirements {
            if r.id != "police-clearance" {
                r.status = Status::Ok;
            }
        }
    }
    let pack = case.ws.program("kz-ai-pilot").expect("pack");
    let step = next_step(pack, &report, &[], &[]);
    assert_eq!(
        requirement(&step),
        ("astana-hub", "police-clearance", Status::NeedsDate)
    );
}
