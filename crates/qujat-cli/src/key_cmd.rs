//! The data key: unlocking it for every command (the passphrase from
//! `QUJAT_PASSPHRASE` or a prompt, when the key record needs one) and
//! `qujat key status`.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use clap::Subcommand;
use qujat_core::i18n::{message, Lang};
use qujat_core::keys::{self, KeyStatus, LockStatus, ProtectorKind, Unlock};
use qujat_core::rules::installed::TrustedKey;
use qujat_core::{Error, FileError, KeyError, OpenOptions, Workspace};

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
    /// Protect the data key with a new passphrase: sets one where the key
    /// was in the keychain (and removes it from there), or changes it. The
    /// new passphrase comes from `QUJAT_NEW_PASSPHRASE` or is asked twice
    /// on the terminal. Nothing is re-encrypted.
    Passphrase,
    /// Move the data key into the system keychain, so no passphrase is
    /// asked any more.
    Keychain,
}

/// The variable a script can give the new passphrase in (`qujat key passphrase`).
const NEW_PASSPHRASE_ENV: &str = "QUJAT_NEW_PASSPHRASE";

/// Opens the workspace, unlocking its data key: from the keychain, or with
/// `QUJAT_PASSPHRASE`; on a terminal, asks for the passphrase when the key
/// record needs one, and offers to choose one on a first use without a
/// keychain.
pub fn open(data_dir: &Path, trusted: &TrustedKey, lang: Lang) -> Result<Workspace, Error> {
    let first = Workspace::open(OpenOptions::new(data_dir).trusting(trusted));
    let terminal = std::io::stdin().is_terminal();
    match first {
        Err(Error::Keys(KeyError::PassphraseRequired)) if terminal => {
            let pass = ask(lang, "key.passphrase")?;
            Workspace::open(
                OpenOptions::new(data_dir)
                    .trusting(trusted)
                    .unlock(Unlock::with_passphrase(&pass)),
            )
        }
        Err(error)
            if terminal
                && keys::lock_status(data_dir, Some(&error)) == LockStatus::ChoosePassphrase =>
        {
            let detail = match error {
                Error::Keys(KeyError::KeychainUnavailable { detail }) => detail,
                other => other.to_string(),
            };
            eprintln!("{}", message(lang, "key.choose-intro", &[]));
            eprintln!(
                "  {}",
                message(lang, "error.details", &[("detail", detail)])
            );
            let pass = ask(lang, "key.choose")?;
            // Refused before the second prompt, so a weak one is not typed twice.
            qujat_core::strength::require_strong(&pass)?;
            if ask(lang, "key.choose-again")? != pass {
                eprintln!("{}", message(lang, "key.mismatch", &[]));
                return Err(KeyError::PassphraseEmpty.into());
            }
            Workspace::open(
                OpenOptions::new(data_dir)
                    .trusting(trusted)
                    .unlock(Unlock::with_passphrase(&pass)),
            )
        }
        other => other,
    }
}

fn ask(lang: Lang, key: &str) -> Result<String, Error> {
    let text =
        rpassword::prompt_password(message(lang, key, &[])).map_err(|e| FileError::Unreadable {
            path: "(terminal)".into(),
            detail: e.to_string(),
        })?;
    if text.is_empty() {
        return Err(KeyError::PassphraseEmpty.into());
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
            let problem = if status.protector == ProtectorKind::None {
                None
            } else {
                match Workspace::open(OpenOptions::new(data_dir).trusting(trusted)) {
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
                let protector = message(
                    lang,
                    &format!("key.protector.{}", status.protector.code()),
                    &[],
                );
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
        KeyCommand::Passphrase => {
            let ws = open(data_dir, trusted, lang)?;
            let pass = match std::env::var(NEW_PASSPHRASE_ENV) {
                Ok(p) if !p.is_empty() => p,
                _ => {
                    let pass = ask(lang, "key.new")?;
                    qujat_core::strength::require_strong(&pass)?;
                    if ask(lang, "key.choose-again")? != pass {
                        eprintln!("{}", message(lang, "key.mismatch-kept", &[]));
                        return Err(KeyError::PassphraseEmpty.into());
                    }
                    pass
                }
            };
            ws.protect_key(&keys::Protection::passphrase(&pass))?;
            println!("{}", message(lang, "key.now-passphrase", &[]));
            Ok(ExitCode::SUCCESS)
        }
        KeyCommand::Keychain => {
            let ws = open(data_dir, trusted, lang)?;
            ws.protect_key(&keys::Protection::Keychain)?;
            println!("{}", message(lang, "key.now-keychain", &[]));
            Ok(ExitCode::SUCCESS)
        }
    }
}
