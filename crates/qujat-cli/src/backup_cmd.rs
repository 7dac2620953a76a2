//! `qujat export` and `qujat import`: one dossier as one encrypted backup
//! file, to move it to another computer or keep it safe.
//!
//! The passphrase comes from `--passphrase-file FILE` (its first line), the
//! `QUJAT_BACKUP_PASSPHRASE` variable, or a prompt on the terminal that does
//! not echo (asked twice on export, so a typo cannot lock the backup).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::Utc;
use clap::Subcommand;
use qujat_core::i18n::format_size;
use qujat_core::i18n::{message, Lang};
use qujat_core::{Error, FileError, KeyError, Workspace};

use crate::output;

/// The variable a script can pass the passphrase in.
const PASSPHRASE_ENV: &str = "QUJAT_BACKUP_PASSPHRASE";

#[derive(Debug, Subcommand)]
pub enum BackupCommand {
    /// Export a dossier (records, timeline and files) to one passphrase-encrypted file.
    Export {
        /// Dossier id (or a unique prefix).
        dossier: String,
        /// The backup file to create.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Replace FILE if it exists (atomically; never a folder).
        #[arg(long)]
        force: bool,
        /// Read the passphrase from the first line of FILE instead of asking.
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Import a dossier from a backup; a dossier whose id is taken gets a new one.
    Import {
        /// The backup file.
        file: PathBuf,
        /// Read the passphrase from the first line of FILE instead of asking.
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(ws: &mut Workspace, command: BackupCommand, lang: Lang) -> Result<ExitCode, Error> {
    match command {
        BackupCommand::Export {
            dossier,
            out,
            force,
            passphrase_file,
            json,
        } => {
            // Resolve the dossier and the destination before asking for a
            // passphrase for them.
            let id = ws.dossier(&dossier)?.id;
            if !force && std::fs::symlink_metadata(&out).is_ok() {
                return Err(FileError::DestinationExists {
                    path: out.display().to_string(),
                }
                .into());
            }
            let Some(passphrase) = passphrase(passphrase_file.as_deref(), true, lang)? else {
                eprintln!(
                    "qujat: {}",
                    message(lang, "backup.passphrase-mismatch", &[])
                );
                return Ok(ExitCode::from(2));
            };
            let summary = ws.export_dossier_with(
                &id,
                &out,
                &passphrase,
                Utc::now(),
                qujat_core::backup::WORK_FACTOR,
                force,
            )?;
            if json {
                output::json(&summary);
            } else {
                println!(
                    "{}",
                    message(
                        lang,
                        "backup.exported",
                        &[
                            ("id", summary.dossier_id.clone()),
                            ("files", summary.files.to_string()),
                            ("size", format_size(summary.bytes)),
                            ("path", summary.path.clone()),
                        ],
                    )
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        BackupCommand::Import {
            file,
            passphrase_file,
            json,
        } => {
            let Some(passphrase) = passphrase(passphrase_file.as_deref(), false, lang)? else {
                return Ok(ExitCode::from(2));
            };
            let summary = ws.import_dossier(&file, &passphrase)?;
            if json {
                output::json(&summary);
                return Ok(ExitCode::SUCCESS);
            }
            if summary.dossier_id != summary.original_id {
                println!(
                    "{}",
                    message(
                        lang,
                        "backup.renamed",
                        &[
                            ("old", summary.original_id.clone()),
                            ("id", summary.dossier_id.clone()),
                        ],
                    )
                );
            }
            println!(
                "{}",
                message(
                    lang,
                    "backup.imported",
                    &[
                        ("id", summary.dossier_id.clone()),
                        ("files", summary.files.to_string()),
                        ("events", summary.events.to_string()),
                    ],
                )
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The passphrase from the file, the variable or the terminal; `None` when
/// the two typed on export differ.
fn passphrase(file: Option<&Path>, confirm: bool, lang: Lang) -> Result<Option<String>, Error> {
    if let Some(path) = file {
        let text = std::fs::read_to_string(path).map_err(|e| FileError::Unreadable {
            path: path.display().to_string(),
            detail: e.to_string(),
        })?;
        return non_empty(text.lines().next().unwrap_or_default().to_owned()).map(Some);
    }
    if let Some(value) = std::env::var_os(PASSPHRASE_ENV) {
        return non_empty(value.to_string_lossy().into_owned()).map(Some);
    }
    if !std::io::stdin().is_terminal() {
        // No one to ask, and nothing given: say what is missing.
        return Err(KeyError::PassphraseEmpty.into());
    }
    let ask = |key: &str| {
        rpassword::prompt_password(message(lang, key, &[])).map_err(|e| {
            Error::from(FileError::Unreadable {
                path: "(terminal)".into(),
                detail: e.to_string(),
            })
        })
    };
    let first = non_empty(ask("backup.passphrase")?)?;
    if confirm {
        // Refused before the second prompt, so a weak one is not typed twice.
        qujat_core::strength::require_strong(&first)?;
    }
    if confirm && ask("backup.passphrase-again")? != first {
        return Ok(None);
    }
    Ok(Some(first))
}

fn non_empty(text: String) -> Result<String, Error> {
    if text.is_empty() {
        Err(KeyError::PassphraseEmpty.into())
    } else {
        Ok(text)
    }
}
