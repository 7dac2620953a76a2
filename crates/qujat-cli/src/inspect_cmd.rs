//! `qujat inspect` and `qujat dates`, the inspection run before `qujat
//! check`, and the hidden inspector mode the CLI re-executes itself in.
//!
//! Documents are never parsed in this process: each is inspected by
//! `qujat __inspect-child` (not listed in the help), started by the core
//! with limits on time and memory, so a crash on a hostile PDF is a verdict
//! on that file and the command carries on.
//!
//! `QUJAT_INSPECT_LOG=FILE` (a debugging aid, also used by the tests) makes
//! every inspection started by `check` append `SHA256 VERDICT` to FILE.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use chrono::{NaiveDate, Utc};
use clap::Subcommand;
use qujat_core::i18n::format_size;
use qujat_core::i18n::{message, Lang};
use qujat_core::inspect::{InspectorCommand, Limits, Verdict};
use qujat_core::model::DocumentDates;
use qujat_core::{parse_date, DatesView, Error, Workspace};

use crate::output;

/// The first argument that starts the inspector child instead of the CLI.
pub const CHILD_MODE: &str = "__inspect-child";

/// The environment variable naming a file that logs every inspection.
pub const LOG_ENV: &str = "QUJAT_INSPECT_LOG";

#[derive(Debug, Subcommand)]
pub enum InspectCommand {
    /// Inspect a file as `check` does: kind, pages, encryption, text, pixel size, dates.
    ///
    /// The file is read by a separate process with a time and memory limit.
    /// Exit 0 inspected, 1 unreadable as its kind, 2 bad input.
    Inspect {
        /// The file.
        file: PathBuf,
        /// Print the inspection record as JSON.
        #[arg(long)]
        json: bool,
        /// Wall-time limit in seconds.
        #[arg(long, value_name = "SECS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=600))]
        time_limit: u64,
        /// Memory limit in MiB (Unix).
        #[arg(long, value_name = "MIB", default_value_t = 1024, value_parser = clap::value_parser!(u64).range(16..=65536))]
        memory_limit: u64,
    },
    /// Show or enter the dates on an attached document (issued, expires).
    ///
    /// Validity rules are checked against these dates; the dates found in
    /// the document's text are shown as suggestions, never used on their own.
    Dates {
        /// Dossier id (or a unique prefix).
        dossier: String,
        /// Requirement id, e.g. passport-copy.
        requirement: String,
        /// The day of issue printed on the document (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        issued: Option<String>,
        /// The last day of validity printed on the document (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        expires: Option<String>,
        /// Forget both dates.
        #[arg(long, conflicts_with_all = ["issued", "expires"])]
        clear: bool,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

/// This program as the inspector.
pub fn inspector() -> Result<InspectorCommand, Error> {
    InspectorCommand::current_exe(&[CHILD_MODE])
}

/// `qujat inspect FILE`: a file that is in no dossier, so no workspace,
/// data key or keychain is needed.
pub fn inspect_file(
    file: &Path,
    json: bool,
    time_limit: u64,
    memory_limit: u64,
    lang: Lang,
) -> Result<ExitCode, Error> {
    let limits = Limits {
        wall_time: Duration::from_secs(time_limit),
        memory_mib: memory_limit,
    };
    let verdict = Workspace::inspect_loose_file(&inspector()?, file, &limits)?;
    if json {
        output::json(&verdict);
    } else {
        print_verdict(&file.display().to_string(), &verdict, lang);
    }
    Ok(match verdict {
        Verdict::Inspected(_) => ExitCode::SUCCESS,
        _ => ExitCode::from(1),
    })
}

pub fn run(
    ws: &mut Workspace,
    command: InspectCommand,
    lang: Lang,
    today: NaiveDate,
) -> Result<ExitCode, Error> {
    match command {
        InspectCommand::Inspect {
            file,
            json,
            time_limit,
            memory_limit,
        } => inspect_file(&file, json, time_limit, memory_limit, lang),
        InspectCommand::Dates {
            dossier,
            requirement,
            issued,
            expires,
            clear,
            json,
        } => {
            let mut view = ws.document_dates(&dossier, &requirement)?;
            if clear || issued.is_some() || expires.is_some() {
                let dates = if clear {
                    DocumentDates::default()
                } else {
                    DocumentDates {
                        issued_on: issued
                            .as_deref()
                            .map(parse_date)
                            .transpose()?
                            .or(view.dates.issued_on),
                        expires_on: expires
                            .as_deref()
                            .map(parse_date)
                            .transpose()?
                            .or(view.dates.expires_on),
                    }
                };
                view = ws.set_document_dates(&dossier, &requirement, dates, today, Utc::now())?;
            }
            if json {
                output::json(&view);
            } else {
                print_dates(&view, lang);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Inspects the dossier's files that have no verdict yet (or all, with
/// `again`), before a check.
pub fn inspect_pending(
    ws: &mut Workspace,
    dossier: &str,
    again: bool,
    quiet: bool,
    lang: Lang,
) -> Result<(), Error> {
    if again {
        ws.forget_inspections(dossier)?;
    }
    let inspector = inspector()?;
    let mut log = std::env::var_os(LOG_ENV)
        .filter(|p| !p.is_empty())
        .and_then(|p| {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(p)
                .ok()
        });
    let mut progress = |p: &qujat_core::InspectProgress<'_>| {
        if p.done == 1 && !quiet {
            eprintln!(
                "{}",
                message(lang, "check.inspecting", &[("count", p.total.to_string())])
            );
        }
        if let Some(log) = log.as_mut() {
            let _ = writeln!(log, "{} {}", p.sha256, p.verdict.code());
        }
    };
    // Ctrl-C during a check ends the process; already-cached verdicts stay.
    let cancel = AtomicBool::new(false);
    ws.inspect_pending(
        dossier,
        &inspector,
        &Limits::default(),
        &mut progress,
        &cancel,
        Utc::now(),
    )?;
    Ok(())
}

fn yes_no(value: bool, lang: Lang) -> String {
    message(lang, if value { "inspect.yes" } else { "inspect.no" }, &[])
}

fn print_verdict(path: &str, verdict: &Verdict, lang: Lang) {
    let path_param = ("path", path.to_owned());
    match verdict {
        Verdict::Inspected(record) => {
            println!(
                "{}",
                message(
                    lang,
                    "inspect.summary",
                    &[
                        path_param,
                        ("kind", record.kind.label().to_owned()),
                        ("size", format_size(record.size))
                    ]
                )
            );
            if let Some(pdf) = record.pdf {
                println!(
                    "  {}",
                    message(
                        lang,
                        "inspect.pdf",
                        &[
                            ("pages", pdf.pages.to_string()),
                            ("textLayer", yes_no(pdf.text_layer, lang)),
                            ("encrypted", yes_no(pdf.encrypted, lang)),
                        ]
                    )
                );
            }
            if let Some(image) = record.image {
                println!(
                    "  {}",
                    message(
                        lang,
                        "inspect.image",
                        &[
                            ("width", image.width.to_string()),
                            ("height", image.height.to_string())
                        ]
                    )
                );
            }
            if record.words > 0 {
                println!(
                    "  {}",
                    message(lang, "inspect.text", &[("words", record.words.to_string())])
                );
            }
            if !record.dates.is_empty() {
                println!(
                    "  {}",
                    message(
                        lang,
                        "inspect.dates",
                        &[("dates", join_dates(&record.dates))]
                    )
                );
            }
            if let Some(ocr) = record.ocr.as_ref().filter(|o| !o.pages.is_empty()) {
                let read: Vec<_> = ocr.pages.iter().filter(|p| p.problem.is_none()).collect();
                let confidence = read.iter().map(|p| u32::from(p.confidence)).sum::<u32>()
                    / u32::try_from(read.len()).unwrap_or(1).max(1);
                println!(
                    "  {}",
                    message(
                        lang,
                        "inspect.ocr",
                        &[
                            ("pages", read.len().to_string()),
                            ("confidence", confidence.to_string()),
                            ("languages", ocr.languages.join(", ")),
                        ]
                    )
                );
            }
            if let Some(mrz) = &record.mrz {
                println!(
                    "  {}",
                    message(
                        lang,
                        "inspect.mrz",
                        &[
                            ("surname", mrz.surname.clone()),
                            ("givenNames", mrz.given_names.clone()),
                            ("number", mrz.document_number.clone()),
                            ("valid", yes_no(mrz.valid, lang)),
                        ]
                    )
                );
            }
        }
        Verdict::Unreadable { kind, detail } => eprintln!(
            "qujat: {}",
            message(
                lang,
                "inspect.verdict.unreadable",
                &[
                    path_param,
                    ("kind", kind.label().to_owned()),
                    ("detail", detail.clone())
                ]
            )
        ),
        Verdict::TimedOut { limit_ms } => eprintln!(
            "qujat: {}",
            message(
                lang,
                "inspect.verdict.timed-out",
                &[path_param, ("seconds", limit_ms.div_ceil(1000).to_string())]
            )
        ),
        Verdict::OutOfMemory { limit_mib } => eprintln!(
            "qujat: {}",
            message(
                lang,
                "inspect.verdict.out-of-memory",
                &[path_param, ("limitMib", limit_mib.to_string())]
            )
        ),
        other => eprintln!(
            "qujat: {}",
            message(
                lang,
                &format!("inspect.verdict.{}", other.code()),
                &[path_param]
            )
        ),
    }
}

fn join_dates(dates: &[NaiveDate]) -> String {
    dates
        .iter()
        .map(NaiveDate::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn print_dates(view: &DatesView, lang: Lang) {
    let or_not_entered = |d: Option<NaiveDate>| {
        d.map(|d| d.to_string())
            .unwrap_or_else(|| message(lang, "dates.not-entered", &[]))
    };
    println!(
        "{}: {}; {}",
        view.requirement_id,
        message(
            lang,
            "dates.issued",
            &[("date", or_not_entered(view.dates.issued_on))]
        ),
        message(
            lang,
            "dates.expires",
            &[("date", or_not_entered(view.dates.expires_on))]
        )
    );
    let found = if !view.inspected {
        message(lang, "dates.not-inspected", &[])
    } else if view.found.is_empty() {
        message(lang, "dates.none-found", &[])
    } else {
        message(lang, "dates.found", &[("dates", join_dates(&view.found))])
    };
    println!("  {found}");
    if let Some(day) = view.expiry_from_mrz {
        println!(
            "  {}",
            message(lang, "dates.from-mrz", &[("date", day.to_string())])
        );
    }
}
