//! Fixing a requirement's file without leaving Qujat: several files made
//! into one PDF, a file made small enough, a PDF saved without its
//! encryption. The work runs in the inspector child
//! ([`crate::inspect::fix`]); here the inputs are handed over (the user's
//! files by path, vault contents decrypted as they stream, a password only
//! through the child's stdin) and the file made is kept like an attached
//! one: written to the vault (encrypted, write-sync-rename), then recorded
//! as the requirement's document in one transaction. The document it
//! replaces stays in the vault, so [`Workspace::reattach`] undoes the fix;
//! the new content has no verdict yet, so the next check inspects it.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use zeroize::Zeroizing;

use super::{requirement_of, Workspace};
use crate::error::{Error, Result};
use crate::inspect::child::STDIN_CAP;
use crate::inspect::fix::{FixFacts, FixJob, FixProblem, PagePick};
use crate::inspect::Verdict;
use crate::inspect::{fix_inputs, FixInput, FixRun, InspectorCommand, Limits, PageProgress};
use crate::kind::FileKind;
use crate::rules::RequirementKind;
use crate::store::Document;
use crate::vault::HARD_CAP;

/// A file to combine: one of the user's, by path, or content already in
/// the vault (the requirement's current document, say).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    tag = "from",
    rename_all = "kebab-case",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
pub enum FixSource {
    /// A file on disk; only read.
    File {
        /// Its path.
        path: String,
    },
    /// A content of this dossier's documents, by its SHA-256.
    Vault {
        /// The content's hash.
        sha256: String,
    },
}

/// What a fix made: the requirement's new document, the one it replaced
/// (kept in the vault: give it to [`Workspace::reattach`] to undo), and
/// what the file is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FixOutcome {
    /// The requirement's document now.
    pub document: Document,
    /// The document it replaced, if there was one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub replaced: Option<Document>,
    /// Size, pages and the resolution images were left at.
    pub facts: FixFacts,
}

/// How a fix runs: the inspector child it runs in, its limits, who hears
/// of its steps, and the flag that stops it.
pub struct FixRunner<'a> {
    /// The adapter's own binary in inspector mode.
    pub inspector: &'a InspectorCommand,
    /// Wall time and memory.
    pub limits: Limits,
    /// Told of each step (page or image, from 1, and how many).
    pub progress: Option<PageProgress>,
    /// Set to stop: the child is killed, nothing is kept.
    pub cancel: &'a AtomicBool,
}

/// A password given for one unlock: wiped from memory when dropped, never
/// stored, logged or passed as an argument.
pub type Secret = Zeroizing<String>;

impl Workspace {
    /// Makes one PDF of `sources` (images and PDFs) and attaches it to the
    /// requirement in place of its document. `pages` picks, orders and
    /// turns the pages (input from 0 as in `sources`, page from 1); none
    /// takes every page of every source in order.
    pub fn combine(
        &mut self,
        dossier_id: &str,
        requirement_id: &str,
        sources: &[FixSource],
        pages: Option<Vec<PagePick>>,
        runner: &FixRunner<'_>,
        now: DateTime<Utc>,
    ) -> Result<FixOutcome> {
        let (dossier_id, requirement_id, current) = self.target(dossier_id, requirement_id)?;
        if sources.is_empty() {
            return Err(Error::FixBadRequest {
                detail: "no files to combine".into(),
            });
        }
        let mut inputs = Vec::with_capacity(sources.len());
        let mut total = 0u64;
        for source in sources {
            let input = self.input(&dossier_id, source)?;
            total = total.saturating_add(input.len);
            inputs.push(input);
        }
        if total > STDIN_CAP {
            return Err(Error::FixBadRequest {
                detail: "the files together are too large".into(),
            });
        }
        let name = combined_name(sources, &self.store.documents(&dossier_id)?);
        let job = FixJob::Combine { pages };
        self.run_and_keep(
            &dossier_id,
            &requirement_id,
            current,
            job,
            inputs,
            name,
            runner,
            now,
        )
    }

    /// Makes the requirement's file at most its size limit, no image going
    /// below the pack's resolution floor (`min-dpi`), and attaches the
    /// result in its place.
    pub fn shrink(
        &mut self,
        dossier_id: &str,
        requirement_id: &str,
        runner: &FixRunner<'_>,
        now: DateTime<Utc>,
    ) -> Result<FixOutcome> {
        let (dossier_id, requirement_id, current) = self.target(dossier_id, requirement_id)?;
        let current = current.ok_or_else(|| Error::NotAttached {
            id: requirement_id.clone(),
        })?;
        let dossier = self.dossier(&dossier_id)?;
        let pack = self.program(&dossier.program_id)?;
        let requirement = requirement_of(pack, &requirement_id, RequirementKind::Document)?;
        let limit = pack.max_size_bytes(requirement);
        let min_dpi = pack.min_dpi(requirement).ok_or_else(|| Error::FixNoFloor {
            requirement: requirement_id.clone(),
        })?;
        if current.size <= limit {
            return Err(Error::FixAlreadyFits {
                size: current.size,
                limit,
            });
        }
        let input = self.input(
            &dossier_id,
            &FixSource::Vault {
                sha256: current.sha256.clone(),
            },
        )?;
        let name = current.original_name.clone();
        let job = FixJob::Shrink { limit, min_dpi };
        self.run_and_keep(
            &dossier_id,
            &requirement_id,
            Some(current),
            job,
            vec![input],
            name,
            runner,
            now,
        )
    }

    /// Saves the requirement's PDF without its encryption and attaches the
    /// copy in its place. A PDF with usage restrictions only needs no
    /// password; one that needs a password is opened with `password`
    /// (passed to the child through its stdin, never kept).
    pub fn unlock_document(
        &mut self,
        dossier_id: &str,
        requirement_id: &str,
        password: Option<&Secret>,
        runner: &FixRunner<'_>,
        now: DateTime<Utc>,
    ) -> Result<FixOutcome> {
        let (dossier_id, requirement_id, current) = self.target(dossier_id, requirement_id)?;
        let current = current.ok_or_else(|| Error::NotAttached {
            id: requirement_id.clone(),
        })?;
        let input = self.input(
            &dossier_id,
            &FixSource::Vault {
                sha256: current.sha256.clone(),
            },
        )?;
        let name = current.original_name.clone();
        let job = FixJob::Unlock {
            password: password.map(|p| p.as_str().to_owned()),
        };
        self.run_and_keep(
            &dossier_id,
            &requirement_id,
            Some(current),
            job,
            vec![input],
            name,
            runner,
            now,
        )
    }

    /// Crops the requirement's photo around its one face to the pack's
    /// photo specification (35 × 45, the head at the middle of the asked
    /// range, exactly the asked pixels) and attaches the JPEG in its place.
    /// Nothing is retouched; a photo without exactly one face, or without
    /// enough pixels around it, is refused.
    pub fn crop_photo(
        &mut self,
        dossier_id: &str,
        requirement_id: &str,
        runner: &FixRunner<'_>,
        now: DateTime<Utc>,
    ) -> Result<FixOutcome> {
        let (dossier_id, requirement_id, current) = self.target(dossier_id, requirement_id)?;
        let current = current.ok_or_else(|| Error::NotAttached {
            id: requirement_id.clone(),
        })?;
        let dossier = self.dossier(&dossier_id)?;
        let pack = self.program(&dossier.program_id)?;
        let requirement = requirement_of(pack, &requirement_id, RequirementKind::Document)?;
        let spec = requirement
            .photo
            .as_ref()
            .ok_or_else(|| Error::FixNotAPhoto {
                requirement: requirement_id.clone(),
            })?;
        let [low, high] = spec.head_height_pct;
        let job = FixJob::CropPhoto {
            width_mm: spec.width_mm,
            height_mm: spec.height_mm,
            width_px: spec.min_px.width,
            height_px: spec.min_px.height,
            head_percent: (low + high) / 2,
        };
        let input = self.input(
            &dossier_id,
            &FixSource::Vault {
                sha256: current.sha256.clone(),
            },
        )?;
        let name = current.original_name.clone();
        self.run_and_keep(
            &dossier_id,
            &requirement_id,
            Some(current),
            job,
            vec![input],
            name,
            runner,
            now,
        )
    }

    /// The dossier's and requirement's full ids and the requirement's
    /// current document.
    fn target(
        &self,
        dossier_id: &str,
        requirement_id: &str,
    ) -> Result<(String, String, Option<Document>)> {
        let dossier = self.dossier(dossier_id)?;
        let pack = self.program(&dossier.program_id)?;
        let requirement = requirement_of(pack, requirement_id, RequirementKind::Document)?;
        let current = self
            .store
            .documents(&dossier.id)?
            .into_iter()
            .find(|d| d.requirement_id == requirement.id);
        Ok((dossier.id, requirement.id.clone(), current))
    }

    /// One input for the child: a file of the user's (a regular file, at
    /// most the hard cap) or a content of this dossier's.
    fn input(&self, dossier_id: &str, source: &FixSource) -> Result<FixInput> {
        match source {
            FixSource::File { path } => {
                let path = PathBuf::from(path);
                let (file, meta) = crate::regular_file::open(&path)?;
                if meta.len() > HARD_CAP {
                    return Err(Error::FileBeyondHardCap {
                        path: path.display().to_string(),
                        size: meta.len(),
                        cap: HARD_CAP,
                    });
                }
                Ok(FixInput {
                    content: Box::new(file),
                    len: meta.len(),
                })
            }
            FixSource::Vault { sha256 } => {
                let documents = self.store.documents(dossier_id)?;
                let Some(doc) = documents.iter().find(|d| &d.sha256 == sha256) else {
                    return Err(Error::FixBadRequest {
                        detail: "a content that is not this dossier's".into(),
                    });
                };
                let content = self.vault.open_content(&doc.sha256)?;
                Ok(FixInput {
                    content: Box::new(content),
                    len: doc.size,
                })
            }
        }
    }

    /// Runs `job` in the child and keeps what it made as the requirement's
    /// document, named `name` (with the made kind's extension).
    #[allow(clippy::too_many_arguments)]
    fn run_and_keep(
        &mut self,
        dossier_id: &str,
        requirement_id: &str,
        replaced: Option<Document>,
        job: FixJob,
        inputs: Vec<FixInput>,
        name: String,
        runner: &FixRunner<'_>,
        now: DateTime<Utc>,
    ) -> Result<FixOutcome> {
        let run = fix_inputs(
            runner.inspector,
            job,
            inputs,
            &runner.limits,
            runner.progress.clone(),
            runner.cancel,
        )?;
        let made = match run {
            FixRun::Made(made) => made,
            FixRun::Refused(problem) => return Err(problem.into()),
            FixRun::Failed(verdict) => return Err(failure(*verdict, &runner.limits)),
            FixRun::Cancelled => return Err(Error::Cancelled),
        };
        if made.bytes.len() as u64 > HARD_CAP {
            return Err(Error::FixOutputTooLarge {
                size: made.bytes.len() as u64,
            });
        }
        // Kept as an attached file is: encrypted into tmp/, synced, renamed.
        let tmp = self.vault.tmp_dir();
        let staged = self.vault.stage(
            &mut &made.bytes[..],
            HARD_CAP,
            &|e| Error::writing(&tmp, e),
            &|size| Error::FixOutputTooLarge { size },
        )?;
        let stored = self.vault.keep(staged)?;
        let document = Document {
            requirement_id: requirement_id.to_owned(),
            sha256: stored.sha256,
            size: stored.size,
            kind: stored.kind,
            original_name: with_extension(&name, stored.kind),
            attached_at: now,
        };
        self.store.put_document(dossier_id, &document)?;
        Ok(FixOutcome {
            document,
            replaced,
            facts: made.facts,
        })
    }
}

/// The error for a child that failed the way an inspection can.
fn failure(verdict: Verdict, limits: &Limits) -> Error {
    match verdict {
        Verdict::TimedOut { .. } => Error::FixTimedOut {
            seconds: limits.wall_time.as_secs(),
        },
        Verdict::OutOfMemory { limit_mib } => Error::FixOutOfMemory { limit_mib },
        // A vault copy that no longer decrypts.
        Verdict::Damaged => Error::FixInputUnreadable { input: 1 },
        other => Error::FixCrashed {
            detail: other.code().to_owned(),
        },
    }
}

impl From<FixProblem> for Error {
    fn from(problem: FixProblem) -> Error {
        match problem {
            FixProblem::InputUnreadable { input } => Error::FixInputUnreadable { input },
            FixProblem::InputUnsupported { input, kind } => {
                Error::FixInputUnsupported { input, kind }
            }
            FixProblem::InputHeic { input } => Error::FixInputHeic { input },
            FixProblem::InputLocked { input } => Error::FixInputLocked { input },
            FixProblem::ImageTooLarge {
                input,
                width,
                height,
            } => Error::FixImageTooLarge {
                input,
                width,
                height,
            },
            FixProblem::NoSuchPage { input, page, pages } => {
                Error::FixNoSuchPage { input, page, pages }
            }
            FixProblem::TooManyPages { pages, limit } => {
                Error::FixTooManyPages { pages, most: limit }
            }
            FixProblem::BadRequest { detail } => Error::FixBadRequest { detail },
            FixProblem::NotEncrypted => Error::FixNotEncrypted,
            FixProblem::NeedsPassword => Error::FixNeedsPassword,
            FixProblem::WrongPassword => Error::FixWrongPassword,
            FixProblem::AlreadyFits { size, limit } => Error::FixAlreadyFits { size, limit },
            FixProblem::CannotFit {
                limit,
                smallest,
                min_dpi,
                has_images: true,
            } => Error::FixCannotFit {
                limit,
                smallest,
                min_dpi,
            },
            FixProblem::CannotFit {
                limit, smallest, ..
            } => Error::FixNoImages { limit, smallest },
            FixProblem::OutputTooLarge { size } => Error::FixOutputTooLarge { size },
            FixProblem::NoSingleFace { faces } => Error::FixNoSingleFace { faces },
            FixProblem::PhotoTooSmall {
                width,
                height,
                min_width,
                min_height,
            } => Error::FixPhotoTooSmall {
                width,
                height,
                min_width,
                min_height,
            },
        }
    }
}

/// The name of a combined file: the first file's name, as a PDF.
fn combined_name(sources: &[FixSource], documents: &[Document]) -> String {
    let first = sources.first().and_then(|source| match source {
        FixSource::File { path } => std::path::Path::new(path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned()),
        FixSource::Vault { sha256 } => documents
            .iter()
            .find(|d| &d.sha256 == sha256)
            .map(|d| d.original_name.clone()),
    });
    first.unwrap_or_else(|| "combined.pdf".into())
}

/// `name` with the extension of `kind` (`scan.png` shrunk is `scan.jpg`).
fn with_extension(name: &str, kind: FileKind) -> String {
    let extension = match kind {
        FileKind::Pdf => "pdf",
        FileKind::Jpeg => "jpg",
        FileKind::Png => "png",
        _ => return name.to_owned(),
    };
    let stem = std::path::Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "document".into());
    format!("{stem}.{extension}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_file_is_named_after_the_first_and_by_its_kind() {
        assert_eq!(with_extension("scan.png", FileKind::Jpeg), "scan.jpg");
        assert_eq!(with_extension("passport", FileKind::Pdf), "passport.pdf");
        assert_eq!(with_extension("a.b.jpeg", FileKind::Pdf), "a.b.pdf");
        let sources = [FixSource::File {
            path: "/tmp/page-1.jpg".into(),
        }];
        assert_eq!(
            with_extension(&combined_name(&sources, &[]), FileKind::Pdf),
            "page-1.pdf"
        );
    }

    #[test]
    fn every_problem_of_the_child_becomes_an_error_the_user_can_read() {
        let cannot = FixProblem::CannotFit {
            limit: 10,
            smallest: 20,
            min_dpi: 200,
            has_images: true,
        };
        assert_eq!(
            Error::from(cannot),
            Error::FixCannotFit {
                limit: 10,
                smallest: 20,
                min_dpi: 200
            }
        );
        let no_images = FixProblem::CannotFit {
            limit: 10,
            smallest: 20,
            min_dpi: 200,
            has_images: false,
        };
        assert_eq!(
            Error::from(no_images),
            Error::FixNoImages {
                limit: 10,
                smallest: 20
            }
        );
    }
}
