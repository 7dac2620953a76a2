//! `qujat pack` and `qujat verify`: submission packages from a terminal.
//!
//! Progress goes to stderr, and only when stderr is a terminal, so scripts
//! and pipes get just the result. Ctrl-C cancels a pack cleanly: the core
//! stops at the next chunk and removes its temporary file, and the command
//! exits with 130 like any interrupted program.
//!
//! `verify` exits 0 for a valid package, 1 for an invalid one, and 2 when the
//! path is not a package at all (or cannot be read).

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::Local;
use clap::Subcommand;
use qujat_core::i18n::{message, Lang};
use qujat_core::package::{
    self, PackFormat, PackOptions, PackSummary, Phase, Progress, VerifyProblem, VerifyReport,
};
use qujat_core::report::format_size;
use qujat_core::{parse_date, Error, Workspace};

use crate::output;

/// Set by Ctrl-C; the core checks it between chunks.
static CANCEL: AtomicBool = AtomicBool::new(false);

#[derive(Debug, Subcommand)]
pub enum PackageCommand {
    /// Pack a stage into a verified submission package (a BagIt ZIP, or a folder).
    Pack {
        /// Dossier id (or a unique prefix).
        dossier: String,
        /// The stage to pack, e.g. astana-hub.
        #[arg(long, value_name = "STAGE")]
        stage: String,
        /// The ZIP file (or, with --folder, the folder) to create.
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
        /// Pack even though requirements are missing or have problems; the
        /// cover sheet and bag-info.txt then say the package is incomplete.
        #[arg(long)]
        allow_incomplete: bool,
        /// Write a plain folder with an upload list instead of a ZIP.
        #[arg(long)]
        folder: bool,
        /// Replace PATH if it exists.
        #[arg(long)]
        force: bool,
        /// The package date (YYYY-MM-DD); today if omitted. The same dossier
        /// and date give a byte-identical package.
        #[arg(long)]
        date: Option<String>,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Verify a package (ZIP or folder): exit 0 valid, 1 invalid, 2 not a package.
    Verify {
        /// The package.
        path: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(ws: &Workspace, command: PackageCommand, lang: Lang) -> Result<ExitCode, Error> {
    match command {
        PackageCommand::Pack {
            dossier,
            stage,
            out,
            allow_incomplete,
            folder,
            force,
            date,
            json,
        } => {
            let date = match date {
                Some(d) => parse_date(&d)?,
                None => Local::now().date_naive(),
            };
            let mut options = PackOptions {
                out,
                format: if folder {
                    PackFormat::Folder
                } else {
                    PackFormat::Zip
                },
                allow_incomplete,
                force,
                date,
                lang,
            };
            // Without a handler Ctrl-C would kill us mid-write and leave the
            // temporary file; with one, the core cleans up. Failing to install
            // it (another handler exists) only loses that nicety.
            let _ = ctrlc::set_handler(|| CANCEL.store(true, Ordering::Relaxed));
            let summary = match pack_reporting_progress(ws, &dossier, &stage, &options, lang) {
                Err(Error::DestinationExists { path }) if ask_to_replace(&path, lang) => {
                    options.force = true;
                    pack_reporting_progress(ws, &dossier, &stage, &options, lang)
                }
                other => other,
            };
            let summary = match summary {
                Err(Error::Cancelled) => {
                    eprintln!("qujat: {}", Error::Cancelled.localized(lang));
                    return Ok(ExitCode::from(130));
                }
                other => other?,
            };
            if json {
                output::json(&summary);
            } else {
                print_summary(&summary, lang);
            }
            Ok(ExitCode::SUCCESS)
        }
        PackageCommand::Verify { path, json } => {
            let report = package::verify(&path)?;
            if json {
                output::json(&report);
            } else {
                print_report(&report, lang);
            }
            Ok(if report.valid {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}

fn pack_reporting_progress(
    ws: &Workspace,
    dossier: &str,
    stage: &str,
    options: &PackOptions,
    lang: Lang,
) -> Result<PackSummary, Error> {
    let terminal = std::io::stderr().is_terminal();
    let last: Mutex<Option<Instant>> = Mutex::new(None);
    let progress = |p: Progress| {
        if !terminal {
            return;
        }
        let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let finished = p.files_done == p.files_total;
        // Ten updates a second are plenty for a person, and cheap for us.
        if !finished && last.is_some_and(|t| now - t < Duration::from_millis(100)) {
            return;
        }
        *last = Some(now);
        eprint!("\r{}\x1b[K", progress_line(&p, lang));
    };
    let result = ws.pack(dossier, stage, options, &progress, &CANCEL);
    if terminal {
        eprintln!();
    }
    result
}

fn progress_line(p: &Progress, lang: Lang) -> String {
    let phase = match p.phase {
        Phase::Copying => message(lang, "pack.phase.copying", &[]),
        Phase::Verifying => message(lang, "pack.phase.verifying", &[]),
    };
    message(
        lang,
        "pack.progress",
        &[
            ("phase", phase),
            ("filesDone", p.files_done.to_string()),
            ("filesTotal", p.files_total.to_string()),
            ("done", format_size(p.bytes_done)),
            ("total", format_size(p.bytes_total)),
        ],
    )
}

/// Asks on the terminal whether to replace an existing package; never when
/// there is no one to ask (a script gets the error instead).
fn ask_to_replace(path: &str, lang: Lang) -> bool {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return false;
    }
    eprint!(
        "{}",
        message(lang, "pack.replace-prompt", &[("path", path.to_owned())])
    );
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    if std::io::stdin().lock().read_line(&mut answer).is_err() {
        return false;
    }
    matches!(
        answer.trim().to_lowercase().as_str(),
        "y" | "yes" | "д" | "да" | "и" | "иә"
    )
}

fn print_summary(summary: &PackSummary, lang: Lang) {
    println!("{}", summary.path);
    println!(
        "{}",
        message(
            lang,
            "pack.done",
            &[
                ("files", summary.payload_files.to_string()),
                ("size", format_size(summary.package_bytes)),
                ("path", display_name(Path::new(&summary.path))),
            ],
        )
    );
    for f in &summary.files {
        println!("  {:<36} {:>9}  {}", f.path, format_size(f.size), f.sha256);
    }
    if !summary.complete {
        println!(
            "{}",
            message(
                lang,
                "pack.incomplete",
                &[("items", summary.blockers.join(", "))]
            )
        );
    }
}

fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn print_report(report: &VerifyReport, lang: Lang) {
    let path = report.path.clone();
    if report.valid {
        println!(
            "{}",
            message(
                lang,
                "verify.valid",
                &[
                    ("path", path),
                    ("files", report.files_checked.to_string()),
                    ("size", format_size(report.bytes_checked)),
                ],
            )
        );
        return;
    }
    println!("{}", message(lang, "verify.invalid", &[("path", path)]));
    for (key, paths) in [
        ("verify.missing", &report.missing),
        ("verify.extra", &report.extra),
        ("verify.altered", &report.altered),
    ] {
        for p in paths {
            println!("  {}", message(lang, key, &[("path", p.clone())]));
        }
    }
    for problem in &report.problems {
        let text = match problem {
            VerifyProblem::UnsafePath { path } => message(
                lang,
                "verify.problem.unsafe-path",
                &[("path", path.clone())],
            ),
            VerifyProblem::InvalidDeclaration => {
                message(lang, "verify.problem.invalid-declaration", &[])
            }
            VerifyProblem::NoManifest => message(lang, "verify.problem.no-manifest", &[]),
            VerifyProblem::BadManifestLine { file, line } => message(
                lang,
                "verify.problem.bad-manifest-line",
                &[("file", file.clone()), ("line", line.to_string())],
            ),
            VerifyProblem::OxumMismatch { expected, found } => message(
                lang,
                "verify.problem.oxum-mismatch",
                &[("expected", expected.clone()), ("found", found.clone())],
            ),
        };
        println!("  {text}");
    }
}
