//! `qujat rules status` and `qujat rules update`: which rule packs are in
//! use, and signed updates of them over the network.
//!
//! An update never breaks a working install: each program's pack is
//! replaced only by a newer, validly signed, valid pack, and every failure
//! (offline, timeout, HTTP error, bad signature, older version) leaves the
//! pack in use and is reported with its reason. Exit status 0 when every
//! program is installed or up to date, 1 when any update failed.

use std::process::ExitCode;

use clap::Subcommand;
use qujat_core::i18n::{message, Lang};
use qujat_core::rules::installed::{PackOrigin, RulesUpdate, TrustedKey};
use qujat_core::{Catalog, Error};
use qujat_update::{update, update_url, UpdateOptions, URL_ENV};
use serde::Serialize;

use crate::output;

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Show the rule packs in use, where each came from, and installed packs that were skipped.
    Status {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Fetch newer signed rule packs; on any failure the packs in use stay.
    Update {
        /// Where packs are published: <URL>/<program>.toml and <URL>/<program>.toml.minisig.
        #[arg(long, env = URL_ENV, value_name = "URL")]
        url: Option<String>,
        /// Update only this program (repeatable); all programs by default.
        #[arg(long = "program", value_name = "ID")]
        programs: Vec<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

/// One program's outcome, as `rules update --json` prints it.
#[derive(Serialize)]
struct Outcome<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    update: Option<&'a RulesUpdate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a Error>,
}

/// Rule packs are public data: no data key is unlocked for them.
pub fn run(
    catalog: &mut Catalog,
    command: RulesCommand,
    key: &TrustedKey,
    lang: Lang,
) -> Result<ExitCode, Error> {
    match command {
        RulesCommand::Status { json } => {
            if json {
                output::json(catalog.rules_status());
            } else {
                print_status(catalog, lang);
            }
            Ok(ExitCode::SUCCESS)
        }
        RulesCommand::Update {
            url,
            programs,
            json,
        } => {
            // Remembered like the app's field, so both use the same address.
            let url = update_url(catalog, url.as_deref())?;
            let outcomes = update(catalog, &url, &programs, key, &UpdateOptions::default());
            if json {
                let rows: Vec<Outcome> = outcomes
                    .iter()
                    .map(|o| Outcome {
                        id: &o.id,
                        update: o.result.as_ref().ok(),
                        error: o.result.as_ref().err(),
                    })
                    .collect();
                output::json(&rows);
            }
            let mut failed = false;
            for o in &outcomes {
                let line = match &o.result {
                    Ok(RulesUpdate::Installed { id, from, to }) => message(
                        lang,
                        "rules.installed",
                        &[
                            ("id", id.clone()),
                            ("from", from.clone().unwrap_or_else(|| "-".into())),
                            ("to", to.clone()),
                        ],
                    ),
                    Ok(RulesUpdate::UpToDate { id, version }) => message(
                        lang,
                        "rules.up-to-date",
                        &[("id", id.clone()), ("version", version.clone())],
                    ),
                    Err(e) => {
                        failed = true;
                        let version = catalog
                            .program(&o.id)
                            .map(|p| p.version.clone())
                            .unwrap_or_else(|_| "-".into());
                        message(
                            lang,
                            "rules.failed",
                            &[
                                ("id", o.id.clone()),
                                ("reason", e.localized(lang)),
                                ("version", version),
                            ],
                        )
                    }
                };
                // With --json, stdout stays JSON; the lines go to stderr.
                if json {
                    eprintln!("{line}");
                } else {
                    println!("{line}");
                }
            }
            Ok(if failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

fn print_status(catalog: &Catalog, lang: Lang) {
    let status = catalog.rules_status();
    for p in &status.packs {
        let origin = match p.origin {
            PackOrigin::BuiltIn => message(lang, "rules.origin.built-in", &[]),
            PackOrigin::Installed => message(lang, "rules.origin.installed", &[]),
        };
        println!("{:<16} {:<8} {origin}", p.id, p.version);
    }
    for n in &status.notices {
        println!(
            "{}",
            message(
                lang,
                "rules.skipped",
                &[
                    ("file", n.file.clone()),
                    ("reason", n.error.localized(lang))
                ],
            )
        );
    }
}
