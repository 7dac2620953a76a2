//! `qujat demo`: the embassy demo dossier from a terminal.
//!
//! Prints the demo dossier's id on the first line (like `qujat new`, so a
//! script can take it) and a one-line summary of its statuses on the next.
//! `--reset` first removes every earlier demo dossier, for a fresh demo;
//! `--remove` only removes them. Real dossiers are never touched. The
//! sample files are inspected right away, like `check` does.

use std::process::ExitCode;

use chrono::{Local, Utc};
use clap::Subcommand;
use qujat_core::i18n::{message, Lang};
use qujat_core::{Error, Workspace};

use crate::output;

#[derive(Debug, Subcommand)]
pub enum DemoCommand {
    /// Create a demo dossier with sample documents (watermarked SAMPLE): some ok, one blocked, some missing.
    Demo {
        /// Remove earlier demo dossiers first (never a real one).
        #[arg(long, conflicts_with = "remove")]
        reset: bool,
        /// Only remove the demo dossiers (never a real one); create none.
        #[arg(long)]
        remove: bool,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(ws: &mut Workspace, command: DemoCommand, lang: Lang) -> Result<ExitCode, Error> {
    let DemoCommand::Demo {
        reset,
        remove,
        json,
    } = command;
    if reset || remove {
        let count = ws.reset_demo()?;
        let text = message(lang, "demo.removed", &[("count", count.to_string())]);
        // With --remove this is the result; with --reset, a remark beside it.
        if remove {
            println!("{text}");
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!("{text}");
    }
    let today = Local::now().date_naive();
    let created = ws.create_demo(lang, Utc::now(), today)?;
    // Inspected now, as `check` would, so the summary counts what the
    // inspection finds (warnings included) and the app opens it ready.
    crate::inspect_cmd::inspect_pending(ws, &created.dossier.id, false, true, lang)?;
    let summary = ws.demo_summary(&created.dossier.id, today)?;
    if json {
        output::json(&summary);
    } else {
        println!("{}", summary.dossier.id);
        println!(
            "{}",
            message(
                lang,
                "demo.created",
                &[
                    ("id", summary.dossier.id.clone()),
                    ("ok", summary.ok.to_string()),
                    ("warnings", summary.warnings.to_string()),
                    ("problem", summary.problem.to_string()),
                    ("missing", summary.missing.to_string()),
                ],
            )
        );
    }
    Ok(ExitCode::SUCCESS)
}
