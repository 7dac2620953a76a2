//! `qujat event`, `event-remove`, `timeline` and `deadlines`: the case
//! timeline and its deadlines from a terminal.
//!
//! Days typed and shown are calendar days; deadlines are days in the
//! program's zone (Kazakhstan for the built-in packs), and where the user's
//! own clock differs, the moment a deadline's day ends is shown on it too.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{Local, Utc};
use clap::Subcommand;
use qujat_core::deadlines::{self, Deadline, DeadlineState, Deadlines};
use qujat_core::i18n::{message, Lang};
use qujat_core::ics;
use qujat_core::rules::RulePack;
use qujat_core::text::visible;
use qujat_core::timeline::{
    event_name, ChangeAction, Event, EventChange, EventCorrection, EventValues, Timeline,
    TimelineEntry,
};
use qujat_core::{parse_date, Error, Workspace};

use crate::output;

#[derive(Debug, Subcommand)]
pub enum TimelineCommand {
    /// Record an event of the case (e.g. egov-submitted, approved), or correct one with --correct.
    Event {
        /// Dossier id (or a unique prefix).
        dossier: String,
        /// Event kind, e.g. egov-submitted; `qujat timeline` lists them. With
        /// --correct, the new kind, or leave it out to keep the kind.
        #[arg(required_unless_present = "correct")]
        kind: Option<String>,
        /// The day it happened (YYYY-MM-DD). With --correct, leave it out to keep the day.
        #[arg(long, required_unless_present = "correct")]
        date: Option<String>,
        /// A note of your own; with --correct, an empty note removes it.
        #[arg(long)]
        note: Option<String>,
        /// Correct event number N (see `qujat timeline`) instead of recording a new one.
        #[arg(long, value_name = "N")]
        correct: Option<i64>,
    },
    /// Remove a recorded event; the history of changes keeps it.
    EventRemove {
        /// Dossier id (or a unique prefix).
        dossier: String,
        /// The event's number (see `qujat timeline`).
        event: i64,
    },
    /// Show the case timeline: each stage with its events, and the history of changes.
    Timeline {
        /// Dossier id (or a unique prefix).
        dossier: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Show the deadlines counted from the timeline; optionally export them to a calendar file.
    Deadlines {
        /// Dossier id (or a unique prefix).
        dossier: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Also write the deadlines with their reminders to FILE (iCalendar,
        /// .ics). Importing it again updates the entries instead of duplicating them.
        #[arg(long, value_name = "FILE")]
        ics: Option<PathBuf>,
    },
}

pub fn run(ws: &mut Workspace, command: TimelineCommand, lang: Lang) -> Result<ExitCode, Error> {
    let now = Utc::now();
    match command {
        TimelineCommand::Event {
            dossier,
            kind,
            date,
            note,
            correct,
        } => {
            let today = ws.latest_today(&dossier, now)?;
            let date = date.as_deref().map(parse_date).transpose()?;
            let (event, key) = match (correct, kind, date) {
                (Some(id), kind, date) => {
                    let correction = EventCorrection { kind, date, note };
                    (
                        ws.correct_event(&dossier, id, correction, today, now)?,
                        "event.corrected",
                    )
                }
                // clap requires KIND and --date without --correct; were they
                // missing anyway, the core would list the kinds.
                (None, kind, date) => (
                    ws.record_event(
                        &dossier,
                        kind.as_deref().unwrap_or_default(),
                        date.unwrap_or(today),
                        note.as_deref(),
                        today,
                        now,
                    )?,
                    "event.recorded",
                ),
            };
            let pack = pack_of(ws, &dossier)?;
            println!("{}", event_line(key, &event, pack, lang));
        }
        TimelineCommand::EventRemove { dossier, event } => {
            let removed = ws.remove_event(&dossier, event, now)?;
            let pack = pack_of(ws, &dossier)?;
            println!("{}", event_line("event.removed", &removed, pack, lang));
        }
        TimelineCommand::Timeline { dossier, json } => {
            let today = ws.latest_today(&dossier, now)?;
            let timeline = ws.timeline(&dossier, today)?;
            if json {
                output::json(&timeline);
            } else {
                print_timeline(&timeline, pack_of(ws, &dossier)?, lang);
            }
        }
        TimelineCommand::Deadlines { dossier, json, ics } => {
            let found = match &ics {
                Some(path) => ws.export_deadlines(&dossier, path, lang, now)?,
                None => ws.deadlines(&dossier, now)?,
            };
            if json {
                output::json(&found);
            } else {
                print_deadlines(&found, pack_of(ws, &dossier)?, lang);
            }
            if let Some(path) = ics {
                let (count, alarms) = ics::count_summary(&found);
                let text = message(
                    lang,
                    "ics.written",
                    &[
                        ("count", count.to_string()),
                        ("alarms", alarms.to_string()),
                        ("path", path.display().to_string()),
                    ],
                );
                // Keep stdout pure JSON when --json is given.
                if json {
                    eprintln!("{text}");
                } else {
                    println!("\n{text}");
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn pack_of<'w>(ws: &'w Workspace, dossier: &str) -> Result<&'w RulePack, Error> {
    ws.program(&ws.dossier(dossier)?.program_id)
}

fn event_line(key: &str, event: &Event, pack: &RulePack, lang: Lang) -> String {
    message(
        lang,
        key,
        &[
            ("id", event.id.to_string()),
            ("name", event_name(pack, &event.kind).get(lang).to_owned()),
            ("date", event.date.to_string()),
        ],
    )
}

fn print_timeline(t: &Timeline, pack: &RulePack, lang: Lang) {
    let d = &t.dossier;
    println!(
        "{}  {}  {} ({} {})",
        d.id,
        visible(&d.applicant_name),
        t.program.name.get(lang),
        t.program.id,
        t.program.version
    );
    if let Some(stage) = t.current_stage.as_deref().and_then(|s| pack.stage(s)) {
        println!(
            "{}",
            message(
                lang,
                "timeline.current-stage",
                &[("stage", stage.name.get(lang).to_owned())]
            )
        );
    }
    let recorded = t
        .stages
        .iter()
        .flat_map(|s| &s.entries)
        .chain(&t.other)
        .any(|e| e.event.is_some());
    if !recorded {
        println!("{}", message(lang, "timeline.no-events", &[]));
    }
    for stage in t.stages.iter().filter(|s| !s.entries.is_empty()) {
        println!();
        println!("{} [{}]", stage.name.get(lang), stage.id);
        for entry in &stage.entries {
            print_entry(entry, lang);
        }
    }
    if !t.other.is_empty() {
        println!();
        println!("{}", message(lang, "timeline.other", &[]));
        for entry in &t.other {
            print_entry(entry, lang);
        }
    }
    if !t.history.is_empty() {
        println!();
        println!("{}", message(lang, "timeline.history", &[]));
        for change in &t.history {
            println!("  {}", history_line(change, lang));
        }
    }
}

fn print_entry(entry: &TimelineEntry, lang: Lang) {
    match &entry.event {
        Some(e) => {
            println!(
                "  [ok] {}  #{:<3} {:<26} {}",
                e.date,
                e.id,
                entry.kind,
                entry.name.get(lang)
            );
            if let Some(note) = &e.note {
                println!("       {}", visible(note));
            }
        }
        None => println!(
            "  [..] {:<10}  {:<4} {:<26} {}",
            "",
            "",
            entry.kind,
            entry.name.get(lang)
        ),
    }
}

fn history_line(change: &EventChange, lang: Lang) -> String {
    let at = change
        .changed_at
        .with_timezone(&Local)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let values = |v: &Option<EventValues>| match v {
        Some(v) => match &v.note {
            Some(note) => format!("{} {} ({})", v.kind, v.date, visible(note)),
            None => format!("{} {}", v.kind, v.date),
        },
        None => String::new(),
    };
    let id = change.event_id.to_string();
    match change.action {
        ChangeAction::Added | ChangeAction::Removed => {
            let (key, v) = if change.action == ChangeAction::Added {
                ("history.added", &change.after)
            } else {
                ("history.removed", &change.before)
            };
            let (kind, date) = v
                .as_ref()
                .map(|v| (v.kind.clone(), v.date.to_string()))
                .unwrap_or_default();
            message(
                lang,
                key,
                &[("at", at), ("id", id), ("kind", kind), ("date", date)],
            )
        }
        ChangeAction::Corrected => message(
            lang,
            "history.corrected",
            &[
                ("at", at),
                ("id", id),
                ("before", values(&change.before)),
                ("after", values(&change.after)),
            ],
        ),
    }
}

fn print_deadlines(found: &Deadlines, pack: &RulePack, lang: Lang) {
    println!(
        "{}",
        message(
            lang,
            "deadline.today-in-zone",
            &[
                ("zone", found.time_zone.clone()),
                ("today", found.today.to_string())
            ]
        )
    );
    if let Some(window) = found.program_window.as_ref().filter(|w| w.closed) {
        println!();
        println!(
            "  ! {}",
            message(
                lang,
                "program.closed",
                &[("date", window.closes.to_string())]
            )
        );
        println!("    {}", window.note.get(lang));
        for basis in &window.sources {
            println!("    {}", ics::basis_line(basis, lang));
        }
    }
    if found.deadlines.is_empty() {
        println!("{}", message(lang, "deadline.none", &[]));
    }
    for d in &found.deadlines {
        println!();
        print_deadline(d, pack, lang);
    }
}

fn print_deadline(d: &Deadline, pack: &RulePack, lang: Lang) {
    let mark = match d.state {
        DeadlineState::Pending => "--",
        DeadlineState::Upcoming => "..",
        DeadlineState::DueSoon => "! ",
        DeadlineState::Overdue => "!!",
        DeadlineState::Reached | DeadlineState::Done => "ok",
    };
    let event = |kind: &str| event_name(pack, kind).get(lang).to_owned();
    let state = match d.state {
        DeadlineState::Pending => {
            message(lang, "deadline.state.pending", &[("event", event(&d.from))])
        }
        DeadlineState::Done => message(
            lang,
            "deadline.state.done",
            &[("event", event(d.settled_by.as_deref().unwrap_or("")))],
        ),
        DeadlineState::Upcoming => message(lang, "deadline.state.upcoming", &[]),
        DeadlineState::DueSoon => message(lang, "deadline.state.due-soon", &[]),
        DeadlineState::Overdue => message(lang, "deadline.state.overdue", &[]),
        DeadlineState::Reached => message(lang, "deadline.state.reached", &[]),
    };
    let when = match (d.state, d.days_left) {
        (DeadlineState::Done, _) | (_, None) => String::new(),
        (_, Some(0)) => format!(", {}", message(lang, "deadline.today", &[])),
        (_, Some(n)) if n > 0 => format!(
            ", {}",
            message(lang, "deadline.days-left", &[("days", n.to_string())])
        ),
        (_, Some(n)) => format!(
            ", {}",
            message(lang, "deadline.days-ago", &[("days", (-n).to_string())])
        ),
    };
    let date = d
        .date
        .map(|x| x.to_string())
        .unwrap_or_else(|| "----------".into());
    println!("[{mark}] {date}  {}: {state}{when}", d.name.get(lang));
    if let Some(stay) = &d.stay {
        let (key, left) = if stay.left >= 0 {
            ("deadline.stay", stay.left)
        } else {
            ("deadline.stay-over", -stay.left)
        };
        println!(
            "     {}",
            message(
                lang,
                key,
                &[
                    ("used", stay.used.to_string()),
                    ("allowed", stay.allowed.to_string()),
                    ("left", left.to_string()),
                ]
            )
        );
    }
    let still_open = !matches!(d.state, DeadlineState::Done | DeadlineState::Pending);
    // The clock time and reminder days help only while the day is ahead.
    let ahead = matches!(d.state, DeadlineState::Upcoming | DeadlineState::DueSoon);
    if let (true, Some(ends)) = (ahead, d.ends_at) {
        if let Some(local) = deadlines::ends_in_zone(ends, &Local) {
            let offset = ends.with_timezone(&Local).format("%:z").to_string();
            println!(
                "     {}",
                message(
                    lang,
                    "deadline.your-time",
                    &[
                        ("time", local.format("%Y-%m-%d %H:%M").to_string()),
                        ("offset", offset)
                    ]
                )
            );
        }
    }
    if ahead && !d.reminders.is_empty() {
        let dates = d
            .reminders
            .iter()
            .map(|r| r.date.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        println!(
            "     {}",
            message(lang, "deadline.reminders", &[("dates", dates)])
        );
    }
    if let (true, Some(text)) = (still_open, &d.reminder_text) {
        println!("     {}", text.get(lang));
    }
    if let Some(note) = &d.note {
        println!("     {}", note.get(lang));
    }
    println!("     {}", ics::basis_line(&d.basis, lang));
}
