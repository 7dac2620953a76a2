//! `qujat combine` and `qujat fix`: portal-ready files made by the core in
//! the inspector child (see `qujat_core::inspect::fix`), kept as the
//! requirement's new document. The previous document stays in the vault.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use clap::{Args, Subcommand};
use qujat_core::i18n::format_size;
use qujat_core::i18n::{message, Lang};
use qujat_core::inspect::fix::PagePick;
use qujat_core::inspect::{Limits, PageProgress};
use qujat_core::{Error, FileError, FixOutcome, FixRunner, FixSource, Secret, Workspace};

use crate::{inspect_cmd, output};

#[derive(Debug, Subcommand)]
pub enum FixCommand {
    /// Make one PDF of several files (photos, scans, PDFs) and attach it.
    ///
    /// JPEGs are embedded as they are (no quality lost), turned as their
    /// EXIF orientation says; PNGs are decoded and compressed losslessly;
    /// PDF pages are kept as they are. The file it replaces stays in the
    /// vault. Exit 0 made, 2 bad input (a damaged file, a missing page).
    Combine {
        /// Dossier id (or a unique prefix).
        dossier: String,
        /// Requirement id, e.g. passport-copy.
        requirement: String,
        /// The files, in order.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Pick, order and turn pages: FILE:PAGE or FILE:PAGE:DEGREES
        /// (file and page from 1, degrees clockwise: 90, 180, 270), once per
        /// page of the result. Without it, every page of every file in order.
        #[arg(long = "page", value_name = "FILE:PAGE[:DEG]", value_parser = parse_pick)]
        pages: Vec<PagePick>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Fix the file attached to a requirement: make it smaller, save it
    /// without encryption, or crop a photo to 35 × 45. The file it replaces
    /// stays in the vault.
    Fix(FixArgs),
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("action").required(true).multiple(false)))]
pub struct FixArgs {
    /// Dossier id (or a unique prefix).
    dossier: String,
    /// Requirement id.
    requirement: String,
    /// Make it fit the requirement's size limit, never below the rule
    /// pack's resolution floor.
    #[arg(long, group = "action")]
    shrink: bool,
    /// Save a PDF without its encryption (usage restrictions or a password).
    #[arg(long, group = "action")]
    unlock: bool,
    /// Crop a photo around its one face to the rule pack's photo size
    /// (35 × 45 mm, 413 × 531 pixels, the head at three quarters of the
    /// height), as a JPEG. Never retouched; refused without exactly one
    /// face or with too few pixels around it.
    #[arg(long, group = "action")]
    crop_photo: bool,
    /// Read the PDF's password from the first line of standard input (it
    /// is never stored, logged or passed on the command line).
    #[arg(long, requires = "unlock")]
    password_stdin: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// `FILE:PAGE[:DEGREES]`, numbers from 1.
fn parse_pick(value: &str) -> Result<PagePick, String> {
    let parts: Vec<&str> = value.split(':').collect();
    let number = |s: &str| s.parse::<u32>().ok().filter(|n| *n >= 1);
    let (file, page) = match parts.as_slice() {
        [file, page] | [file, page, _] => (number(file), number(page)),
        _ => (None, None),
    };
    let rotate = match parts.get(2) {
        None => Some(0),
        Some(deg) => deg
            .parse::<u16>()
            .ok()
            .filter(|d| [0, 90, 180, 270].contains(d)),
    };
    match (file, page, rotate) {
        (Some(file), Some(page), Some(rotate)) => Ok(PagePick {
            input: file - 1,
            page,
            rotate,
        }),
        _ => Err(format!(
            "\"{value}\" is not FILE:PAGE or FILE:PAGE:DEGREES (90, 180 or 270)"
        )),
    }
}

pub fn run(
    ws: &mut Workspace,
    command: FixCommand,
    lang: Lang,
    today: NaiveDate,
) -> Result<ExitCode, Error> {
    let inspector = inspect_cmd::inspector()?;
    // Ctrl-C ends the process and its child with it; nothing half-made is
    // kept (the vault writes through tmp/ and a rename).
    let cancel = AtomicBool::new(false);
    // Each step (a page combined, an image shrunk) on stderr, so that a
    // long job shows it is moving and `--json` on stdout stays clean.
    let progress: PageProgress = Arc::new(move |step, steps| {
        eprintln!(
            "{}",
            message(
                lang,
                "fix.progress",
                &[("step", step.to_string()), ("steps", steps.to_string())],
            )
        );
    });
    let runner = FixRunner {
        inspector: &inspector,
        limits: Limits::default(),
        progress: Some(progress),
        cancel: &cancel,
    };
    let (dossier, json, outcome) = match command {
        FixCommand::Combine {
            dossier,
            requirement,
            files,
            pages,
            json,
        } => {
            let sources: Vec<FixSource> = files
                .iter()
                .map(|f| FixSource::File {
                    path: f.display().to_string(),
                })
                .collect();
            let pages = (!pages.is_empty()).then_some(pages);
            let proposal = ws.propose_combine(&dossier, &requirement, &sources, pages, &runner)?;
            let outcome = ws.accept_fix(&dossier, &requirement, &proposal.sha256, Utc::now())?;
            (dossier, json, outcome)
        }
        FixCommand::Fix(args) => {
            let proposal = if args.shrink {
                ws.propose_shrink(&args.dossier, &args.requirement, &runner)?
            } else if args.crop_photo {
                ws.propose_crop_photo(&args.dossier, &args.requirement, &runner)?
            } else {
                let password = if args.password_stdin {
                    Some(read_password()?)
                } else {
                    None
                };
                ws.propose_unlock(&args.dossier, &args.requirement, password.as_ref(), &runner)?
            };
            // The CLI shows nothing before replacing: it accepts at once
            // (the app shows the proposal first).
            let outcome = ws.accept_fix(
                &args.dossier,
                &args.requirement,
                &proposal.sha256,
                Utc::now(),
            )?;
            (args.dossier, args.json, outcome)
        }
    };
    // The new file is inspected now, as `check` would, so the report below
    // says what it is.
    inspect_cmd::inspect_pending(ws, &dossier, false, true, lang)?;
    if json {
        output::json(&outcome);
        return Ok(ExitCode::SUCCESS);
    }
    print_outcome(&outcome, lang);
    let report = ws.report(&dossier, None, today)?;
    output::attached(&report, &outcome.document, lang);
    Ok(ExitCode::SUCCESS)
}

/// The first line of stdin, without its line end.
fn read_password() -> Result<Secret, Error> {
    let mut line = Secret::default();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| FileError::Unreadable {
            path: "(standard input)".into(),
            detail: e.kind().to_string(),
        })?;
    let end = line.trim_end_matches(['\r', '\n']).len();
    line.truncate(end);
    Ok(line)
}

fn print_outcome(outcome: &FixOutcome, lang: Lang) {
    let facts = &outcome.facts;
    println!(
        "{}",
        message(
            lang,
            "fix.made",
            &[
                ("kind", facts.kind.label().to_owned()),
                ("size", format_size(facts.size)),
                ("pages", facts.pages.to_string()),
            ],
        )
    );
    if let Some(dpi) = facts.dpi {
        println!("{}", message(lang, "fix.dpi", &[("dpi", dpi.to_string())]));
    }
    if let Some(replaced) = &outcome.replaced {
        println!(
            "{}",
            message(
                lang,
                "fix.replaced",
                &[(
                    "name",
                    qujat_core::text::visible(&replaced.original_name).into_owned()
                )],
            )
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_picks_are_file_page_and_turn() {
        assert_eq!(
            parse_pick("2:3:90"),
            Ok(PagePick {
                input: 1,
                page: 3,
                rotate: 90
            })
        );
        assert_eq!(parse_pick("1:1").map(|p| p.rotate), Ok(0));
        for bad in ["0:1", "1", "1:0", "1:1:45", "a:b", "1:1:90:2"] {
            assert!(parse_pick(bad).is_err(), "{bad}");
        }
    }
}
