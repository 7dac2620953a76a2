//! `qujat pack` and `qujat verify`: submission packages from a terminal.
//!
//! Progress goes to stderr, and only when stderr is a terminal, so scripts
//! and pipes get just the result. Ctrl-C cancels a pack cleanly: the core
//! stops at the next chunk and removes its temporary file, and the command
//! exits with 130 like any interrupted program.
//!
//! `verify` exits 0 for a valid package, 1 for an invalid one (including a
//! holey bag whose `fetch.txt` files are not fetched yet), and 2 when the
//! path is not a package at all (or cannot be read). Warnings (MD5-only
//! manifests, system files, a line listed twice) never change the exit code.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::Local;
use clap::Subcommand;
use qujat_core::i18n::format_size;
use qujat_core::i18n::{message, Lang};
use qujat_core::package::{
    self, PackFormat, PackOptions, PackSummary, Phase, Progress, VerifyProblem, VerifyReport,
    VerifyWarning,
};
use qujat_core::text::visible;
use qujat_core::{parse_date, Error, FileError, Workspace};

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

/// `qujat verify PACKAGE`: needs no workspace, no data key, no keychain:
/// a desk verifying a package it received has none of them.
pub fn verify(path: &Path, json: bool, lang: Lang) -> Result<ExitCode, Error> {
    let report = package::verify(path)?;
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
                Err(Error::File(FileError::DestinationExists { path }))
                    if ask_to_replace(&path, lang) =>
                {
                    options.force = true;
                    pack_reporting_progress(ws, &dossier, &stage, &options, lang)
                }
                other => other,
            };
            let summary = match summary {
                Err(Error::File(FileError::Cancelled)) => {
                    eprintln!(
                        "qujat: {}",
                        Error::from(FileError::Cancelled).localized(lang)
                    );
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
        PackageCommand::Verify { path, json } => verify(&path, json, lang),
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

/// Prints the verdict. Every name in the report came from the package and
/// was made visible by the core; it passes through `visible` again here, so
/// this output can never carry a terminal escape, whatever the report holds.
fn print_report(report: &VerifyReport, lang: Lang) {
    let line = |text: String| println!("{}", visible(&text));
    let path = report.path.clone();
    let holey = !report.to_fetch.is_empty()
        && report.missing.is_empty()
        && report.extra.is_empty()
        && report.altered.is_empty()
        && report.problems.is_empty();
    if report.valid {
        line(message(
            lang,
            "verify.valid",
            &[
                ("path", path),
                ("files", report.files_checked.to_string()),
                ("size", format_size(report.bytes_checked)),
            ],
        ));
    } else if holey {
        line(message(
            lang,
            "verify.holey",
            &[("path", path), ("count", report.to_fetch.len().to_string())],
        ));
    } else {
        line(message(lang, "verify.invalid", &[("path", path)]));
    }
    for (key, paths) in [
        ("verify.missing", &report.missing),
        ("verify.extra", &report.extra),
        ("verify.altered", &report.altered),
        ("verify.to-fetch", &report.to_fetch),
    ] {
        for p in paths {
            line(format!("  {}", message(lang, key, &[("path", p.clone())])));
        }
    }
    for problem in &report.problems {
        line(format!("  {}", problem_text(problem, lang)));
    }
    for warning in &report.warnings {
        let text = warning_text(warning, lang);
        line(format!(
            "  {}",
            message(lang, "verify.warning", &[("text", text)])
        ));
    }
}

fn problem_text(problem: &VerifyProblem, lang: Lang) -> String {
    use VerifyProblem as P;
    let (code, params): (&str, Vec<(&str, String)>) = match problem {
        P::UnsafePath { path } => ("unsafe-path", vec![("path", path.clone())]),
        P::NotARegularFile { path } => ("not-a-regular-file", vec![("path", path.clone())]),
        P::DuplicateEntries => ("duplicate-entries", vec![]),
        P::OverlappingEntries => ("overlapping-entries", vec![]),
        P::LocalNameMismatch { path } => ("local-name-mismatch", vec![("path", path.clone())]),
        P::InvalidDeclaration => ("invalid-declaration", vec![]),
        P::UnknownEncoding { encoding } => {
            ("unknown-encoding", vec![("encoding", encoding.clone())])
        }
        P::UnreadableTagFile { file } => ("unreadable-tag-file", vec![("file", file.clone())]),
        P::TagFileTooLarge { file, limit } => (
            "tag-file-too-large",
            vec![("file", file.clone()), ("limit", format_size(*limit))],
        ),
        P::NoManifest => ("no-manifest", vec![]),
        P::NoPayloadFolder => ("no-payload-folder", vec![]),
        P::BadManifestLine { file, line } => (
            "bad-manifest-line",
            vec![("file", file.clone()), ("line", line.to_string())],
        ),
        P::WrongManifest { file, path } => (
            "wrong-manifest",
            vec![("file", file.clone()), ("path", path.clone())],
        ),
        P::ConflictingChecksums { file, path } => (
            "conflicting-checksums",
            vec![("file", file.clone()), ("path", path.clone())],
        ),
        P::TooManyEntries { limit } => ("too-many-entries", vec![("limit", limit.to_string())]),
        P::BadFetchLine { line } => ("bad-fetch-line", vec![("line", line.to_string())]),
        P::OxumMismatch {
            declared,
            size,
            files,
        } => (
            "oxum-mismatch",
            vec![
                ("declared", declared.clone()),
                ("size", format_size(*size)),
                ("files", files.to_string()),
            ],
        ),
        P::SizesOverflow => ("sizes-overflow", vec![]),
        P::Omitted { count } => ("omitted", vec![("count", count.to_string())]),
    };
    message(lang, &format!("verify.problem.{code}"), &params)
}

fn warning_text(warning: &VerifyWarning, lang: Lang) -> String {
    use VerifyWarning as W;
    let (code, params): (&str, Vec<(&str, String)>) = match warning {
        W::WeakChecksums { algorithms } => (
            "weak-checksums",
            vec![("algorithms", algorithms.join(", ").to_uppercase())],
        ),
        W::UnsupportedManifest { file } => ("unsupported-manifest", vec![("file", file.clone())]),
        W::ListedTwice { file, path } => (
            "listed-twice",
            vec![("file", file.clone()), ("path", path.clone())],
        ),
        W::NormalizationDuplicate { path } => {
            ("normalization-duplicate", vec![("path", path.clone())])
        }
        W::CaseDuplicate { path, other } => (
            "case-duplicate",
            vec![("path", path.clone()), ("other", other.clone())],
        ),
        W::SystemFile { path } => ("system-file", vec![("path", path.clone())]),
        W::Omitted { count } => ("omitted", vec![("count", count.to_string())]),
    };
    message(lang, &format!("verify.warning.{code}"), &params)
}
