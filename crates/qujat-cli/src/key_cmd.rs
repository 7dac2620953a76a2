//! The data key: unlocking it for every command (the passphrase from
//! `QUJAT_PASSPHRASE` or a prompt, when the key record needs one) and
//! `qujat key status`.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use clap::Subcommand;
use qujat_core::i18n::{message, Lang};
use qujat_core::keys::{self, KeyStatus, Unlock};
use qujat_core::rules::installed::TrustedKey;
use qujat_core::{Error, Workspace};

use crate::output;

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// How the data key is protected (keychain or passphrase), its id, and
    /// whether it unlocks now. Shows no secret.
    Status {
        /// Print the status as JSON (`KeyStatus`).
        #[arg(long)]
        json: bool,
    },
}

/// Opens the workspace, unlocking its data key: from the keychain, or with
/// `QUJAT_PASSPHRASE`; on a terminal, asks for the passphrase when the key
/// record needs one, and offers to choose one on a first use without a
/// keychain.
pub fn open(data_dir: &Path, trusted: &TrustedKey, lang: Lang) -> Result<Workspace, Error> {
    let first = Workspace::open_unlocking(data_dir, trusted, &Unlock::from_env());
    let terminal = std::io::stdin().is_terminal();
    match first {
        Err(Error::PassphraseRequired) if terminal => {
            let pass = ask(lang, "key.passphrase")?;
            Workspace::open_unlocking(data_dir, trusted, &Unlock::with_passphrase(&pass))
        }
        Err(Error::KeychainUnavailable { detail })
            if terminal && keys::status(data_dir)?.protector == "none" =>
        {
            eprintln!(
                "{}",
                message(lang, "key.choose-intro", &[("detail", detail)])
            );
            let pass = ask(lang, "key.choose")?;
            if ask(lang, "key.choose-again")? != pass {
                eprintln!("{}", message(lang, "key.mismatch", &[]));
                return Err(Error::PassphraseEmpty);
            }
            Workspace::open_unlocking(data_dir, trusted, &Unlock::with_passphrase(&pass))
        }
        other => other,
    }
}

fn ask(lang: Lang, key: &str) -> Result<String, Error> {
    let text =
        rpassword::prompt_password(message(lang, key, &[])).map_err(|e| Error::Unreadable {
            path: "(terminal)".into(),
            detail: e.to_string(),
        })?;
    if text.is_empty() {
        return Err(Error::PassphraseEmpty);
    }
    Ok(text)
}

/// `qujat key …`: runs before (and without) the workspace, so a locked
/// folder can still be described.
pub fn run(
    data_dir: &Path,
    trusted: &TrustedKey,
    command: KeyCommand,
    lang: Lang,
) -> Result<ExitCode, Error> {
    match command {
        KeyCommand::Status { json } => {
            let mut status: KeyStatus = keys::status(data_dir)?;
            // Only unlock what exists: a status never creates a key.
            let problem = if status.protector == "none" {
                None
            } else {
                match Workspace::open_unlocking(data_dir, trusted, &Unlock::from_env()) {
                    Ok(_) => {
                        status.unlocked = true;
                        None
                    }
                    Err(e) => Some(e),
                }
            };
            if json {
                output::json(&status);
            } else {
                let protector = message(lang, &format!("key.protector.{}", status.protector), &[]);
                println!(
                    "{}",
                    message(lang, "key.status-protector", &[("protector", protector)])
                );
                if let Some(id) = &status.key_id {
                    println!("{}", message(lang, "key.status-id", &[("id", id.clone())]));
                }
                match (&problem, status.unlocked) {
                    (_, true) => println!("{}", message(lang, "key.status-unlocked", &[])),
                    (Some(e), false) => println!(
                        "{}",
                        message(lang, "key.status-locked", &[("reason", e.localized(lang))])
                    ),
                    (None, false) => {}
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
