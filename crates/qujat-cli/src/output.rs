//! Human-readable output of the `qujat` command, and its `--json` form.
//!
//! The JSON form is the serialised core types (documented in `docs/cli.md`,
//! with TypeScript definitions generated under `ui/src/lib/bindings/`), so
//! the CLI and the app never disagree about what a field means.

use chrono::NaiveDate;
use qujat_core::countries::country_name;
use qujat_core::findings::Severity;
use qujat_core::i18n::{format_size, format_size_in};
use qujat_core::i18n::{message, Lang};
use qujat_core::model::{Document, Dossier};
use qujat_core::next_step::{NextAction, NextStep};
use qujat_core::profile::Profile;
use qujat_core::report::{DossierReport, RequirementReport, Status};
use qujat_core::rules::{Presence, ProgramStatus, RequirementKind, RulePack};
use qujat_core::text::visible;
use qujat_core::Workspace;
use serde::Serialize;

/// Lets a closed standard output end the command quietly (`qujat … | head`),
/// as it ends other Unix tools. Rust ignores SIGPIPE, so a write to a closed
/// pipe fails and `println!` panics with a backtrace hint instead.
#[cfg(unix)]
pub fn quiet_on_closed_pipe() {
    // SAFETY: called first thing in `main`, before any thread is started;
    // restoring a signal's default disposition touches no memory of ours.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// Prints `value` as pretty JSON.
pub fn json<T: Serialize + ?Sized>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        // Our own types always serialise; say so loudly if that ever breaks.
        Err(e) => eprintln!("qujat: internal error: cannot write JSON: {e}"),
    }
}

pub fn programs(packs: &[&RulePack], lang: Lang, today: NaiveDate) {
    for pack in packs {
        println!(
            "{}  {} (rules {})",
            pack.id,
            pack.name.get(lang),
            pack.version
        );
        println!("    {}", pack.summary.get(lang));
        if pack.status_on(today) == ProgramStatus::Closed {
            println!("    ! {}", message(lang, "program.status-closed", &[]));
        }
        if let Some(closes) = pack
            .window
            .as_ref()
            .and_then(|w| w.closes)
            .filter(|_| pack.is_closed_on(today))
        {
            println!(
                "    ! {}",
                message(lang, "program.closed", &[("date", closes.to_string())])
            );
        }
        if pack.review_overdue_on(today) {
            println!("    ! {}", review_overdue(pack, lang));
        }
    }
}

fn review_overdue(pack: &RulePack, lang: Lang) -> String {
    message(
        lang,
        "program.review-overdue",
        &[
            ("reviewed", pack.reviewed.to_string()),
            ("reviewBy", pack.review_by.to_string()),
        ],
    )
}

/// Says on standard error, so JSON output stays clean, that the pack's
/// "review by" day has passed and its rules may be out of date.
pub fn review_notice(pack: &RulePack, lang: Lang, today: NaiveDate) {
    if pack.review_overdue_on(today) {
        eprintln!("qujat: {}: {}", pack.id, review_overdue(pack, lang));
    }
}

pub fn checklist(pack: &RulePack, lang: Lang) {
    println!("{} ({} {})", pack.name.get(lang), pack.id, pack.version);
    for (n, stage) in pack.stages.iter().enumerate() {
        println!();
        println!("{}. {} [{}]", n + 1, stage.name.get(lang), stage.id);
        if stage.requirements.is_empty() {
            println!("   {}", message(lang, "stage.nothing-required", &[]));
        }
        for id in &stage.requirements {
            let Some(r) = pack.requirement(id) else {
                continue;
            };
            let presence = match r.presence {
                Presence::Required => message(lang, "presence.required", &[]),
                Presence::Optional => message(lang, "presence.optional", &[]),
            };
            println!("   - {:<28} {} ({presence})", r.id, r.name.get(lang));
            if r.kind == RequirementKind::Document {
                println!(
                    "     {}",
                    accepts(pack.accepts(r), pack.max_size_bytes(r), lang)
                );
            } else {
                println!("     {}", message(lang, "kind.step", &[]));
            }
        }
    }
}

fn accepts(kinds: &[qujat_core::kind::FileKind], limit: u64, lang: Lang) -> String {
    let kinds = kinds
        .iter()
        .map(|k| k.label())
        .collect::<Vec<_>>()
        .join(", ");
    message(
        lang,
        "accepts",
        &[("kinds", kinds), ("limit", format_size_in(limit, lang))],
    )
}

pub fn dossiers(ws: &Workspace, dossiers: &[Dossier], lang: Lang) {
    for d in dossiers {
        let program = ws
            .program(&d.program_id)
            .map(|p| p.name.get(lang).to_owned())
            .unwrap_or_else(|_| d.program_id.clone());
        // A demo dossier is marked so it is never mistaken for a real one.
        let demo = if d.is_demo { "  [demo]" } else { "" };
        // Names may come from a backup: control characters are shown, not obeyed.
        println!(
            "{}  {}  {}{demo}",
            d.id,
            visible(&d.applicant_name),
            program
        );
    }
}

pub fn attached(report: &DossierReport, doc: &Document, lang: Lang) {
    let requirement = report
        .stages
        .iter()
        .flat_map(|s| &s.requirements)
        .find(|r| r.id == doc.requirement_id);
    if let Some(r) = requirement {
        println!(
            "{}: {} ({}, {})",
            r.id,
            visible(&doc.original_name),
            doc.kind.label(),
            format_size(doc.size)
        );
        print_status_line(r, lang);
    }
}

/// The next step of the case, one line after the report.
pub fn next_step(next: &NextStep, report: &DossierReport, lang: Lang) {
    let stage_name = |id: &str| {
        report
            .stages
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name.get(lang).to_owned())
            .unwrap_or_else(|| id.to_owned())
    };
    let what = match &next.action {
        NextAction::Requirement {
            stage,
            name,
            kind,
            status,
            ..
        } => {
            let key = match (status, kind) {
                (Status::Problem, _) => "next-step.fix",
                (Status::NeedsDate, _) => "next-step.date",
                (_, RequirementKind::Step) => "next-step.confirm",
                _ => "next-step.attach",
            };
            format!(
                "{} ({})",
                message(lang, key, &[("name", name.get(lang).to_owned())]),
                stage_name(stage)
            )
        }
        NextAction::Deadline {
            name,
            date,
            days_left,
            record_name,
            ..
        } => {
            let mut line = message(
                lang,
                "next-step.deadline",
                &[
                    ("name", name.get(lang).to_owned()),
                    ("date", date.to_string()),
                    ("days", days_left.to_string()),
                ],
            );
            if let Some(event) = record_name {
                line.push(' ');
                line.push_str(&message(
                    lang,
                    "next-step.then-record",
                    &[("event", event.get(lang).to_owned())],
                ));
            }
            line
        }
        NextAction::Wait { name, date, .. } => message(
            lang,
            "next-step.wait",
            &[
                ("name", name.get(lang).to_owned()),
                ("date", date.to_string()),
            ],
        ),
        NextAction::Done => message(lang, "next-step.done", &[]),
    };
    println!("{}: {what}", message(lang, "next-step.label", &[]));
}

pub fn report(report: &DossierReport, lang: Lang) {
    let d = &report.dossier;
    println!(
        "{}  {}  {} ({} {})",
        d.id,
        visible(&d.applicant_name),
        report.program.name.get(lang),
        report.program.id,
        report.program.version
    );
    if let Some(p) = &report.profile {
        profile(p, lang);
    }
    for stage in &report.stages {
        println!();
        let progress = if stage.required_total == 0 && stage.requirements.is_empty() {
            message(lang, "stage.nothing-required", &[])
        } else if stage.complete {
            message(lang, "stage.complete", &[])
        } else {
            message(
                lang,
                "stage.progress",
                &[
                    ("done", stage.required_done.to_string()),
                    ("total", stage.required_total.to_string()),
                ],
            )
        };
        println!("{} [{}]: {progress}", stage.name.get(lang), stage.id);
        for r in &stage.requirements {
            print_status_line(r, lang);
        }
    }
    println!();
    let verdict = if report.complete {
        "dossier.complete"
    } else {
        "dossier.incomplete"
    };
    println!("{}", message(lang, verdict, &[]));
}

/// The profile, one line per field, countries named in `lang` with their code.
pub fn profile(profile: &Profile, lang: Lang) {
    if profile.is_empty() {
        println!("{}", message(lang, "profile.none", &[]));
        return;
    }
    let named = |code: &str| format!("{} ({code})", country_name(code, lang));
    let none = "—".to_owned();
    let citizenships = if profile.citizenships.is_empty() {
        none.clone()
    } else {
        profile
            .citizenships
            .iter()
            .map(|c| named(c))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let residence = profile.residence.as_deref().map(named).unwrap_or(none);
    println!(
        "{}",
        message(lang, "profile.citizenships", &[("countries", citizenships)])
    );
    println!(
        "{}",
        message(lang, "profile.residence", &[("country", residence)])
    );
}

fn print_status_line(r: &RequirementReport, lang: Lang) {
    let mark = match r.status {
        Status::Ok => "ok",
        Status::Missing if r.presence == Presence::Optional => "--",
        Status::Missing => "..",
        Status::Problem => "!!",
        Status::NeedsDate => "?!",
    };
    let status = match r.status {
        Status::Ok => message(lang, "status.ok", &[]),
        Status::Missing => message(lang, "status.missing", &[]),
        Status::Problem => message(lang, "status.problem", &[]),
        Status::NeedsDate => message(lang, "status.needs-date", &[]),
    };
    let optional = if r.presence == Presence::Optional {
        format!(" ({})", message(lang, "presence.optional", &[]))
    } else {
        String::new()
    };
    let detail = match (&r.document, r.done_on) {
        (Some(doc), _) => format!("  {}", visible(&doc.original_name)),
        (None, Some(date)) => format!(
            "  {}",
            message(lang, "done-on", &[("date", date.to_string())])
        ),
        _ => String::new(),
    };
    // A per-citizenship row says which country's document it is.
    let country = r
        .country
        .as_deref()
        .map(|c| format!(" ({})", country_name(c, lang)))
        .unwrap_or_default();
    println!(
        "  [{mark}] {:<28} {}{country}{optional}: {status}{detail}",
        r.id,
        r.name.get(lang)
    );
    for reason in &r.reasons {
        if r.status == Status::Problem {
            println!("       {}", reason.localized(lang));
        }
    }
    for finding in &r.findings {
        let mark = match finding.severity {
            Severity::Blocker => "!!",
            Severity::Warning => "! ",
            Severity::Info => "i ",
        };
        println!("       {mark} {}", finding.message(lang));
        println!("          {}", finding.hint(lang));
    }
}
