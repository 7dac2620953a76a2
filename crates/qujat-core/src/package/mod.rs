//! Submission packages: exactly what goes to a portal, consulate or lawyer,
//! with proof of what was sent.
//!
//! A package is a BagIt bag (RFC 8493) for one stage of a dossier, as a ZIP
//! or a plain folder:
//! ```text
//! <program> - <stage> - <date>/        (the folder itself, or the ZIP's one top folder)
//!   bagit.txt  bag-info.txt  manifest-sha256.txt  tagmanifest-sha256.txt
//!   upload-list.txt                    which file goes into which portal field
//!   data/00-cover-sheet.pdf            the requirements, files, sizes, pages, hashes
//!   data/01-passport-copy.pdf …        the documents, in checklist order
//! ```
//! The cover sheet sits in `data/` so that it is itself listed and hashed in
//! the payload manifest, and so that whoever opens the documents sees it
//! first; it describes the other files, not itself.
//!
//! Packing streams every vault file once: it is read, hashed and written in
//! the same pass, several files at a time (see `copy.rs`), and the hash is
//! compared with the one recorded when the file was attached. A mismatch, a
//! cancel or any failure removes the unfinished package; only a package that
//! was written, synced and verified is renamed into place.

mod bagit;
mod copy;
mod cover;
pub mod names;
mod pages;
mod verify;
mod zip_writer;

use std::fs;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{DossierError, FileError, PackageError, Result};
use crate::i18n::format_size;
use crate::i18n::{message, Lang};
use crate::kind::FileKind;
use crate::report::Status;
use crate::rules::{Presence, RequirementKind};
use crate::workspace::Workspace;

pub use verify::{
    verify, verify_with_progress, BagTag, VerifyProblem, VerifyReport, VerifyWarning,
};

/// The name of the cover sheet inside `data/`.
pub const COVER_SHEET: &str = "00-cover-sheet.pdf";
/// The name of the upload list, a tag file at the top of the bag.
pub const UPLOAD_LIST: &str = "upload-list.txt";

/// How a package is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum PackFormat {
    /// One ZIP file holding the bag under one top folder.
    Zip,
    /// The bag as a plain folder, for portals that take one file at a time.
    Folder,
}

/// What to pack and where.
#[derive(Debug, Clone)]
pub struct PackOptions {
    /// The ZIP file or the folder to create.
    pub out: PathBuf,
    /// ZIP or folder.
    pub format: PackFormat,
    /// Pack even though requirements are missing or have problems; the cover
    /// sheet and `bag-info.txt` then say so.
    pub allow_incomplete: bool,
    /// Replace `out` if it exists.
    pub force: bool,
    /// The package's date: its Bagging-Date, cover-sheet date and the
    /// timestamp of every ZIP entry. Same dossier and date, same bytes.
    pub date: NaiveDate,
    /// Language of the cover sheet and the upload list.
    pub lang: Lang,
}

/// What a long operation has done so far; reported after every chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Progress {
    /// Copying documents into the package, or checking the written package.
    pub phase: Phase,
    /// Bytes done in this phase.
    #[ts(type = "number")]
    pub bytes_done: u64,
    /// Bytes in this phase.
    #[ts(type = "number")]
    pub bytes_total: u64,
    /// Files finished in this phase.
    pub files_done: u32,
    /// Files in this phase.
    pub files_total: u32,
}

/// The phases of packing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum Phase {
    /// Reading, hashing and writing the documents.
    Copying,
    /// Re-reading the package and checking every hash.
    Verifying,
}

/// A finished, verified package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PackSummary {
    /// Where it was written.
    pub path: String,
    /// ZIP or folder.
    pub format: PackFormat,
    /// The bag's folder name (the ZIP's top folder).
    pub bag_name: String,
    /// The dossier.
    pub dossier_id: String,
    /// The stage packed.
    pub stage_id: String,
    /// The package date.
    #[ts(type = "string")]
    pub date: NaiveDate,
    /// Whether the stage had no blockers.
    pub complete: bool,
    /// Requirements that blocked the stage (packed anyway with
    /// `allow_incomplete`): missing, or attached with a problem.
    pub blockers: Vec<String>,
    /// The documents, in package order (the cover sheet not included).
    pub files: Vec<PackedFile>,
    /// Bytes under `data/`, cover sheet included (the Payload-Oxum octets).
    #[ts(type = "number")]
    pub payload_bytes: u64,
    /// Files under `data/`, cover sheet included.
    pub payload_files: u32,
    /// Size of the ZIP, or of all files in the folder.
    #[ts(type = "number")]
    pub package_bytes: u64,
}

/// One document in a package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PackedFile {
    /// The requirement it meets.
    pub requirement_id: String,
    /// Its path in the bag, e.g. `data/01-passport-copy.pdf`.
    pub path: String,
    /// The name it had when attached (NFC).
    pub original_name: String,
    /// Its kind.
    pub kind: FileKind,
    /// Size in bytes.
    #[ts(type = "number")]
    pub size: u64,
    /// SHA-256, as recomputed while packing.
    pub sha256: String,
    /// Page count for PDFs, when it could be counted with certainty.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub pages: Option<u32>,
}

/// One document to copy from the vault.
#[derive(Debug, Clone)]
pub(crate) struct PlannedFile {
    pub requirement_id: String,
    /// The file name under `data/`.
    pub name: String,
    pub original_name: String,
    pub kind: FileKind,
    pub size: u64,
    pub sha256: String,
    /// The vault object's path, only to name it in an error.
    pub source: PathBuf,
    /// The vault it is read from (decrypted as it streams; the package
    /// itself is plaintext, by design: it is what the user submits).
    pub vault: crate::vault::Vault,
}

/// One row of the cover sheet and the upload list, in checklist order.
#[derive(Debug, Clone)]
pub(crate) struct ChecklistRow {
    pub number: String,
    pub requirement: String,
    /// Index into the planned files, for documents in the package.
    pub file: Option<usize>,
    /// What to say instead of a file (missing, a step and its date).
    pub note: Option<String>,
    /// Whether a missing document blocks the stage (shown in red).
    pub blocking: bool,
}

impl Workspace {
    /// Packs one stage of a dossier into a verified BagIt package.
    ///
    /// Refuses with [`crate::PackageError::StageIncomplete`] while the stage has blockers
    /// (required items missing, or any item with a problem or whose
    /// validity waits for a date) unless
    /// `allow_incomplete`; with [`crate::FileError::DestinationExists`] if `out` exists
    /// and not `force`. `progress` is called after every chunk, from worker
    /// threads; setting `cancel` stops at the next chunk with
    /// [`crate::FileError::Cancelled`]. A failure leaves no partial package behind.
    pub fn pack(
        &self,
        dossier_id: &str,
        stage_id: &str,
        options: &PackOptions,
        progress: &(dyn Fn(Progress) + Sync),
        cancel: &AtomicBool,
    ) -> Result<PackSummary> {
        let lang = options.lang;
        let report = self.report(dossier_id, Some(stage_id), options.date)?;
        let pack = self.program(&report.program.id)?;
        let Some(stage) = report.stages.first() else {
            return Err(DossierError::UnknownStage {
                id: stage_id.to_owned(),
                known: pack.stages.iter().map(|s| s.id.clone()).collect(),
            }
            .into());
        };
        let blockers: Vec<String> = stage
            .requirements
            .iter()
            .filter(|r| {
                matches!(r.status, Status::Problem | Status::NeedsDate)
                    || (r.status == Status::Missing && r.presence == Presence::Required)
            })
            .map(|r| r.id.clone())
            .collect();
        if !blockers.is_empty() && !options.allow_incomplete {
            return Err(PackageError::StageIncomplete {
                stage: stage.id.clone(),
                blockers,
            }
            .into());
        }
        let out = &options.out;
        if fs::symlink_metadata(out).is_ok() && !options.force {
            return Err(FileError::DestinationExists {
                path: out.display().to_string(),
            }
            .into());
        }

        // Documents are numbered by their place among the stage's documents,
        // so `03-…` means the same requirement in every package of the stage.
        let mut files: Vec<PlannedFile> = Vec::new();
        let mut rows: Vec<ChecklistRow> = Vec::new();
        let mut number = 0;
        for r in &stage.requirements {
            let requirement = r.name.get(lang).to_owned();
            if r.kind == RequirementKind::Step {
                let note = match r.done_on {
                    Some(date) => message(lang, "cover.step-done", &[("date", date.to_string())]),
                    None => message(lang, "cover.step-missing", &[]),
                };
                rows.push(ChecklistRow {
                    number: String::new(),
                    requirement,
                    file: None,
                    note: Some(note),
                    blocking: r.done_on.is_none() && r.presence == Presence::Required,
                });
                continue;
            }
            number += 1;
            let number = format!("{number:02}");
            let in_vault = r
                .document
                .as_ref()
                .filter(|d| self.vault().contains(&d.sha256));
            let Some(doc) = in_vault else {
                let optional = r.presence == Presence::Optional;
                let mut note = message(lang, "cover.not-included", &[]);
                if optional {
                    note = format!("{note} ({})", message(lang, "presence.optional", &[]));
                }
                rows.push(ChecklistRow {
                    number,
                    requirement,
                    file: None,
                    note: Some(note),
                    blocking: !optional,
                });
                continue;
            };
            let name = names::safe_name(
                &format!("{number}-{}", r.id),
                doc.kind.extension(),
                names::MAX_NAME_BYTES,
            );
            rows.push(ChecklistRow {
                number,
                requirement,
                file: Some(files.len()),
                note: None,
                blocking: false,
            });
            files.push(PlannedFile {
                requirement_id: r.id.clone(),
                name,
                original_name: names::nfc(&doc.original_name),
                kind: doc.kind,
                size: doc.size,
                sha256: doc.sha256.clone(),
                source: self.vault().path_of(&doc.sha256),
                vault: self.vault().clone(),
            });
        }

        let dossier = &report.dossier;
        let bag_name = bag_name(&pack.id, &stage.id, options.date);
        let context = copy::Context {
            lang,
            date: options.date,
            bag_name: bag_name.clone(),
            program_name: pack.name.get(lang).to_owned(),
            program_id: pack.id.clone(),
            program_version: pack.version.clone(),
            stage_name: stage.name.get(lang).to_owned(),
            stage_id: stage.id.clone(),
            dossier_id: dossier.id.clone(),
            applicant: names::nfc(&dossier.applicant_name),
            blockers: blockers
                .iter()
                .filter_map(|id| stage.requirements.iter().find(|r| &r.id == id))
                .map(|r| format!("{} ({})", r.name.get(lang), r.id))
                .collect(),
            rows,
        };
        if cancel.load(Ordering::Relaxed) {
            return Err(FileError::Cancelled.into());
        }
        // Journaled, so a process killed mid-write has its temporary file
        // beside `out` removed at the next start (see `pending`).
        let _pending = crate::pending::record(self.data_dir(), out, self.data_key().fields())?;
        let written = match options.format {
            PackFormat::Zip => copy::write_zip(out, &files, &context, progress, cancel)?,
            PackFormat::Folder => copy::write_folder(out, &files, &context, progress, cancel)?,
        };
        Ok(PackSummary {
            path: out.display().to_string(),
            format: options.format,
            bag_name,
            dossier_id: dossier.id.clone(),
            stage_id: stage.id.clone(),
            date: options.date,
            complete: blockers.is_empty(),
            blockers,
            files: files
                .iter()
                .zip(&written.copied)
                .map(|(f, c)| PackedFile {
                    requirement_id: f.requirement_id.clone(),
                    path: format!("data/{}", f.name),
                    original_name: f.original_name.clone(),
                    kind: f.kind,
                    size: f.size,
                    sha256: c.sha256.clone(),
                    pages: c.pages,
                })
                .collect(),
            payload_bytes: written.payload_bytes,
            payload_files: written.payload_files,
            package_bytes: written.package_bytes,
        })
    }
}

/// The name of a package of `stage_id` of `program_id` dated `date`: the
/// bag's folder (the ZIP's top folder), and the name the desktop suggests
/// for the ZIP or the folder itself, e.g. `kz-ai-pilot - egov - 2025-03-14`.
/// No applicant's name: file names travel further than files (recent-file
/// lists, sync logs, the `pending/` journal, shared folders' listings).
pub fn bag_name(program_id: &str, stage_id: &str, date: NaiveDate) -> String {
    names::safe_name(&format!("{program_id} - {stage_id} - {date}"), "", 80)
}

/// The upload list: which file goes into which portal field, in the user's
/// language, one line per requirement.
pub(crate) fn upload_list(context: &copy::Context, files: &[PlannedFile]) -> String {
    let lang = context.lang;
    let mut out = String::new();
    out.push_str(&message(lang, "upload.title", &[]));
    out.push('\n');
    out.push_str(&format!(
        "{}: {} ({})\n{}: {} ({})\n{}: {}\n{}: {}\n{}: {}\n\n",
        message(lang, "cover.program", &[]),
        context.program_name,
        context.program_id,
        message(lang, "cover.stage", &[]),
        context.stage_name,
        context.stage_id,
        message(lang, "cover.applicant", &[]),
        context.applicant,
        message(lang, "cover.dossier", &[]),
        context.dossier_id,
        message(lang, "cover.date", &[]),
        context.date,
    ));
    out.push_str(&message(lang, "upload.intro", &[]));
    out.push_str("\n\n");
    for row in &context.rows {
        let target = match row.file {
            Some(i) => format!("data/{}  ({})", files[i].name, format_size(files[i].size)),
            None => row.note.clone().unwrap_or_default(),
        };
        let number = if row.number.is_empty() {
            "  ".to_owned()
        } else {
            row.number.clone()
        };
        out.push_str(&format!("{number}  {}\n    → {target}\n", row.requirement));
    }
    if !context.blockers.is_empty() {
        out.push('\n');
        out.push_str(&message(
            lang,
            "cover.incomplete",
            &[("items", context.blockers.join("; "))],
        ));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests;
