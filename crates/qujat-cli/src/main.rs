//! `qujat`: the dossier checklist from a terminal.
//!
//! Every subcommand is a thin adapter over `qujat_core::Workspace`, the same
//! calls the desktop app makes, on the same data folder.
//!
//! Exit status: 0 success (and, for `check`, a complete dossier); 3 `check`
//! found the dossier incomplete; 2 bad input (unknown program, dossier,
//! requirement or stage, an unreadable path, a folder, a file over the
//! limit, a bad date); 1 the machine failed us (disk full, store damaged).
//! `verify` exits 0 for a valid package, 1 for an invalid one, 2 for a path
//! that is not a package; `pack` exits 130 when cancelled with Ctrl-C.

mod backup_cmd;
mod demo_cmd;
mod fix_cmd;
mod inspect_cmd;
mod key_cmd;
mod output;
mod package_cmd;
mod rules_cmd;
mod timeline_cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{Local, Utc};
use clap::{Parser, Subcommand};
use qujat_core::i18n::Lang;
use qujat_core::profile::Profile;
use qujat_core::rules::installed::TrustedKey;
use qujat_core::{Catalog, Error, FileError, Workspace};

/// Build, check and track a Kazakhstan residence-permit dossier, offline.
#[derive(Debug, Parser)]
#[command(name = "qujat", version, about, long_about = None)]
struct Cli {
    /// The data folder (store and document vault). Defaults to the app's own.
    #[arg(long, global = true, env = "QUJAT_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,

    /// Language of the output: en, ru or kk. Defaults to the system language.
    #[arg(long, global = true, value_name = "LANG", value_parser = parse_lang)]
    lang: Option<Lang>,

    /// Trust rule packs signed with this minisign public key instead of the
    /// built-in one (for testing a pack server; see docs/cli.md).
    #[arg(
        long,
        global = true,
        hide = true,
        env = "QUJAT_RULES_TRUSTED_KEY",
        value_name = "FILE"
    )]
    trusted_key: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List the programs (built-in rule packs).
    Programs {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Show a program's checklist: its stages and requirements.
    Checklist {
        /// Program id, e.g. kz-ai-pilot.
        #[arg(long, value_name = "ID")]
        program: String,
        /// Print JSON instead of text.
        #[arg(long, conflicts_with = "pdf")]
        json: bool,
        /// Write a printable A4 PDF of the checklist to FILE instead.
        #[arg(long, value_name = "FILE")]
        pdf: Option<PathBuf>,
        /// Replace FILE if it exists.
        #[arg(long, requires = "pdf")]
        force: bool,
    },
    /// Create a dossier and print its id.
    New {
        /// Program id, e.g. kz-ai-pilot.
        #[arg(long, value_name = "ID")]
        program: String,
        /// The applicant's name as in the passport.
        #[arg(long)]
        name: String,
        /// A citizenship (ISO 3166-1 alpha-2, e.g. DE); repeat for each.
        #[arg(long, value_name = "CC")]
        citizenship: Vec<String>,
        /// The country of residence (ISO 3166-1 alpha-2).
        #[arg(long, value_name = "CC")]
        residence: Option<String>,
        /// Start it even though the program is closed (you know it takes no
        /// new applications).
        #[arg(long)]
        closed_program_ok: bool,
    },
    /// Write the applicant's name otherwise (e.g. as the passport spells it).
    Rename {
        /// Dossier id (or a unique prefix).
        dossier: String,
        /// The applicant's name as in the passport.
        name: String,
    },
    /// Show or change the applicant's profile (citizenships, residence),
    /// which fits the checklist to the person.
    Profile {
        /// Dossier id (or a unique prefix).
        dossier: String,
        /// A citizenship (ISO 3166-1 alpha-2); repeat for each. Replaces
        /// the recorded citizenships.
        #[arg(long, value_name = "CC")]
        citizenship: Vec<String>,
        /// The country of residence (ISO 3166-1 alpha-2).
        #[arg(long, value_name = "CC")]
        residence: Option<String>,
        /// Remove the profile: the checklist shows every variant again.
        #[arg(long, conflicts_with_all = ["citizenship", "residence"])]
        clear: bool,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// List the dossiers.
    List {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Attach a file to a requirement (copied into the vault; the original is untouched).
    Add {
        /// Dossier id (or a unique prefix).
        dossier: String,
        /// Requirement id, e.g. passport-copy.
        requirement: String,
        /// The file.
        file: PathBuf,
    },
    /// Remove the file attached to a requirement.
    Remove {
        /// Dossier id (or a unique prefix).
        dossier: String,
        /// Requirement id.
        requirement: String,
    },
    /// Confirm that a step was done.
    Confirm {
        /// Dossier id (or a unique prefix).
        dossier: String,
        /// Step id, e.g. iin.
        step: String,
        /// The day it was done (YYYY-MM-DD); today if omitted.
        #[arg(long)]
        date: Option<String>,
    },
    /// Withdraw a step confirmation.
    Unconfirm {
        /// Dossier id (or a unique prefix).
        dossier: String,
        /// Step id.
        step: String,
    },
    #[command(flatten)]
    Timeline(timeline_cmd::TimelineCommand),
    #[command(flatten)]
    Package(package_cmd::PackageCommand),
    #[command(flatten)]
    Demo(demo_cmd::DemoCommand),
    #[command(flatten)]
    Backup(backup_cmd::BackupCommand),
    /// The key that encrypts the data folder: how it is protected.
    Key {
        #[command(subcommand)]
        command: key_cmd::KeyCommand,
    },
    /// Rule packs: which are in use, and signed updates over the network.
    Rules {
        #[command(subcommand)]
        command: rules_cmd::RulesCommand,
    },
    #[command(flatten)]
    Inspect(inspect_cmd::InspectCommand),
    #[command(flatten)]
    Fix(fix_cmd::FixCommand),
    /// Check a dossier: the status of every requirement. Exit 3 if incomplete.
    Check {
        /// Dossier id (or a unique prefix).
        dossier: String,
        /// Check only this stage.
        #[arg(long, value_name = "STAGE")]
        stage: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Inspect every attached file again, not only new ones.
        #[arg(long)]
        reinspect: bool,
    },
}

fn parse_lang(value: &str) -> Result<Lang, String> {
    Lang::from_code(value).ok_or_else(|| format!("\"{value}\" is not one of en, ru, kk"))
}

fn main() -> ExitCode {
    // Re-executed as the document inspector (see inspect_cmd.rs): no
    // argument parsing, no workspace, only the child's own protocol.
    let mut args = std::env::args_os().skip(1);
    if args.next().is_some_and(|a| a == inspect_cmd::CHILD_MODE) {
        return qujat_core::inspect::child_main(args);
    }
    #[cfg(unix)]
    output::quiet_on_closed_pipe();
    let cli = Cli::parse();
    let lang = cli.lang.or_else(Lang::of_locale).unwrap_or(Lang::En);
    match run(cli, lang) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("qujat: {}", e.localized_with_detail(lang));
            ExitCode::from(if e.is_bad_input() { 2 } else { 1 })
        }
    }
}

fn run(cli: Cli, lang: Lang) -> Result<ExitCode, Error> {
    let data_dir = match cli.data_dir.or_else(Workspace::default_data_dir) {
        Some(dir) => dir,
        None => {
            return Err(FileError::Unwritable {
                path: "(data folder)".into(),
                detail: "no home folder; pass --data-dir".into(),
            }
            .into())
        }
    };
    let key = TrustedKey::for_this_build(cli.trusted_key.as_deref())?;
    let today = Local::now().date_naive();
    // Commands that read no private data run without the data key, so they
    // work with no keychain and no passphrase: programs and checklists
    // (public rule packs), a loose file's inspection, a received package's
    // verification, rule packs' status and updates.
    let command = match cli.command {
        Command::Key { command } => return key_cmd::run(&data_dir, &key, command, lang),
        Command::Inspect(inspect_cmd::InspectCommand::Inspect {
            file,
            json,
            time_limit,
            memory_limit,
        }) => return inspect_cmd::inspect_file(&file, json, time_limit, memory_limit, lang),
        Command::Package(package_cmd::PackageCommand::Verify { path, json }) => {
            return package_cmd::verify(&path, json, lang)
        }
        Command::Rules { command } => {
            let mut catalog = Catalog::open(&data_dir, &key)?;
            return rules_cmd::run(&mut catalog, command, &key, lang);
        }
        Command::Programs { json } => {
            let catalog = Catalog::open(&data_dir, &key)?;
            let offered = qujat_core::rules::offered_order(catalog.programs(), today);
            if json {
                let listing: Vec<_> = offered
                    .iter()
                    .map(|p| qujat_core::rules::ProgramListing::of(p, today))
                    .collect();
                output::json(&listing)
            } else {
                output::programs(&offered, lang, today)
            }
            return Ok(ExitCode::SUCCESS);
        }
        Command::Checklist {
            program,
            json,
            pdf,
            force,
        } => {
            let catalog = Catalog::open(&data_dir, &key)?;
            let pack = catalog.program(&program)?;
            output::review_notice(pack, lang, today);
            if let Some(path) = pdf {
                let pages = qujat_core::checklist_pdf::write_checklist_pdf(
                    pack, lang, today, &path, force,
                )?;
                let written = qujat_core::i18n::message(
                    lang,
                    "checklist.written",
                    &[
                        ("pages", pages.to_string()),
                        ("path", path.display().to_string()),
                    ],
                );
                println!("{written}");
            } else if json {
                output::json(pack)
            } else {
                output::checklist(pack, lang)
            }
            return Ok(ExitCode::SUCCESS);
        }
        other => other,
    };
    let mut ws = key_cmd::open(&data_dir, &key, lang)?;
    match command {
        Command::New {
            program,
            name,
            citizenship,
            residence,
            closed_program_ok,
        } => {
            let profile = Profile::new(&citizenship, residence.as_deref())?;
            let dossier = ws.start_dossier(
                &program,
                &name,
                &profile,
                closed_program_ok,
                today,
                Utc::now(),
            )?;
            output::review_notice(ws.program(&program)?, lang, today);
            println!("{}", dossier.id);
        }
        Command::Rename { dossier, name } => {
            let dossier = ws.rename_dossier(&dossier, &name, Utc::now())?;
            println!("{}", dossier.applicant_name);
        }
        Command::Profile {
            dossier,
            citizenship,
            residence,
            clear,
            json,
        } => {
            let mut profile = ws.profile(&dossier)?;
            if clear {
                profile = ws.set_profile(&dossier, &Profile::default(), Utc::now())?;
            } else if !citizenship.is_empty() || residence.is_some() {
                // What is not given stays as it was.
                let citizenship = if citizenship.is_empty() {
                    profile.citizenships.clone()
                } else {
                    citizenship
                };
                let residence = residence.or(profile.residence.clone());
                let changed = Profile::new(&citizenship, residence.as_deref())?;
                profile = ws.set_profile(&dossier, &changed, Utc::now())?;
            }
            if json {
                output::json(&profile)
            } else {
                output::profile(&profile, lang)
            }
        }
        Command::List { json } => {
            let dossiers = ws.dossiers()?;
            if json {
                output::json(&dossiers)
            } else {
                output::dossiers(&ws, &dossiers, lang)
            }
        }
        Command::Add {
            dossier,
            requirement,
            file,
        } => {
            let doc = ws.attach(&dossier, &requirement, &file, Utc::now())?;
            let report = ws.report(&dossier, None, today)?;
            output::attached(&report, &doc, lang);
        }
        Command::Remove {
            dossier,
            requirement,
        } => {
            if !ws.detach(&dossier, &requirement, Utc::now())? {
                eprintln!(
                    "qujat: {requirement}: {}",
                    qujat_core::i18n::message(lang, "reason.missing", &[])
                );
            }
        }
        Command::Confirm {
            dossier,
            step,
            date,
        } => {
            let date = match date {
                Some(d) => qujat_core::parse_date(&d)?,
                None => today,
            };
            ws.confirm_step(&dossier, &step, date, today, Utc::now())?;
        }
        Command::Unconfirm { dossier, step } => {
            ws.unconfirm_step(&dossier, &step, Utc::now())?;
        }
        Command::Timeline(command) => return timeline_cmd::run(&mut ws, command, lang),
        Command::Package(command) => return package_cmd::run(&ws, command, lang),
        Command::Demo(command) => return demo_cmd::run(&mut ws, command, lang),
        Command::Backup(command) => return backup_cmd::run(&mut ws, command, lang),
        Command::Key { .. }
        | Command::Rules { .. }
        | Command::Programs { .. }
        | Command::Checklist { .. } => unreachable!("run before the workspace opens"),
        Command::Inspect(command) => return inspect_cmd::run(&mut ws, command, lang, today),
        Command::Fix(command) => return fix_cmd::run(&mut ws, command, lang, today),
        Command::Check {
            dossier,
            stage,
            json,
            reinspect,
        } => {
            inspect_cmd::inspect_pending(&mut ws, &dossier, reinspect, json, lang)?;
            let report = ws.report(&dossier, stage.as_deref(), today)?;
            output::review_notice(ws.program(&report.program.id)?, lang, today);
            if json {
                output::json(&report)
            } else {
                output::report(&report, lang);
                // The whole dossier's check ends with what to do next, as
                // the app's banner says it (events and deadlines included).
                if stage.is_none() {
                    let next = ws.next_step(&dossier, today, Utc::now())?;
                    output::next_step(&next, &report, lang);
                }
            }
            return Ok(if report.complete {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(3)
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}
