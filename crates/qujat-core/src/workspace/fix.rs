//! Fixing a requirement's file without leaving Qujat: several files made
//! into one PDF, a file made small enough, a PDF saved without its
//! encryption. The work runs in the inspector child
//! ([`crate::inspect::fix`]); here the inputs are handed over (the user's
//! files by path, vault contents decrypted as they stream, a password only
//! through the child's stdin) and the file made is kept like an attached
//! one: written to the vault (encrypted, write-sync-rename).
//!
//! A fix shows its result before it replaces anything, so it is two steps.
//! `propose_*` makes the file and returns a [`FixProposal`]: the content is
//! in the vault but no document refers to it. [`Workspace::accept_fix`]
//! then records it as the requirement's document in one transaction (the
//! document it replaces stays in the vault, so [`Workspace::reattach`]
//! undoes the fix; the new content has no verdict yet, so the next check
//! inspects it), or [`Workspace::discard_fix`] deletes it. The proposals
//! waiting for an answer are this process's (one per requirement): a
//! result nobody answered is unreferenced, so the vault's lone sweep at the
//! next start deletes it, and only a result made here can be accepted.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use zeroize::Zeroizing;

use super::{requirement_of, Workspace};
use crate::error::{DossierError, Error, FileError, InspectError, Result, VaultError};
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

/// A fix's result, made and kept in the vault but not yet the requirement's
/// document: shown to the user, then accepted ([`Workspace::accept_fix`])
/// or discarded ([`Workspace::discard_fix`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FixProposal {
    /// The dossier.
    pub dossier_id: String,
    /// The requirement whose document it would become.
    pub requirement_id: String,
    /// SHA-256 of the new content: the proposal's id.
    pub sha256: String,
    /// The name it would be attached under.
    pub name: String,
    /// Kind, size, pages and the resolution images were left at.
    pub facts: FixFacts,
    /// The requirement's size limit in bytes, to show beside the sizes.
    #[ts(type = "number")]
    pub limit: u64,
    /// The document it would replace, if there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub replaces: Option<Document>,
}

/// A pending proposal's place: the data folder, the dossier and the
/// requirement.
type PendingKey = (PathBuf, String, String);

/// The proposals waiting for an answer, by data folder, dossier and
/// requirement: one each, a newer one replacing the older. Process-wide
/// because the app makes a proposal in a background job's own
/// [`Workspace`] and answers it in the shared one (of the same folder).
static PENDING: Mutex<BTreeMap<PendingKey, FixProposal>> = Mutex::new(BTreeMap::new());

fn pending() -> std::sync::MutexGuard<'static, BTreeMap<PendingKey, FixProposal>> {
    // A panic while holding the lock left a map that is still whole.
    PENDING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
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
    /// Makes one PDF of `sources` (images and PDFs) for the requirement,
    /// to replace its document once accepted. `pages` picks, orders and
    /// turns the pages (input from 0 as in `sources`, page from 1); none
    /// takes every page of every source in order.
    pub fn propose_combine(
        &mut self,
        dossier_id: &str,
        requirement_id: &str,
        sources: &[FixSource],
        pages: Option<Vec<PagePick>>,
        runner: &FixRunner<'_>,
    ) -> Result<FixProposal> {
        let (dossier_id, requirement_id, current) = self.target(dossier_id, requirement_id)?;
        if sources.is_empty() {
            return Err(InspectError::FixBadRequest {
                detail: "no files to combine".into(),
            }
            .into());
        }
        let mut inputs = Vec::with_capacity(sources.len());
        let mut total = 0u64;
        for source in sources {
            let input = self.input(&dossier_id, source)?;
            total = total.saturating_add(input.len);
            inputs.push(input);
        }
        if total > STDIN_CAP {
            return Err(InspectError::FixBadRequest {
                detail: "the files together are too large".into(),
            }
            .into());
        }
        let name = combined_name(sources, &self.store.documents(&dossier_id)?);
        let job = FixJob::Combine { pages };
        self.run_and_propose(
            &dossier_id,
            &requirement_id,
            current,
            job,
            inputs,
            name,
            runner,
        )
    }

    /// Makes the requirement's file at most its size limit, no image going
    /// below the pack's resolution floor (`min-dpi`), to replace it once
    /// accepted.
    pub fn propose_shrink(
        &mut self,
        dossier_id: &str,
        requirement_id: &str,
        runner: &FixRunner<'_>,
    ) -> Result<FixProposal> {
        let (dossier_id, requirement_id, current) = self.attached(dossier_id, requirement_id)?;
        let dossier = self.dossier(&dossier_id)?;
        let pack = self.program(&dossier.program_id)?;
        let requirement = requirement_of(pack, &requirement_id, RequirementKind::Document)?;
        let limit = pack.max_size_bytes(requirement);
        let min_dpi = pack
            .min_dpi(requirement)
            .ok_or_else(|| InspectError::FixNoFloor {
                requirement: requirement_id.clone(),
            })?;
        if current.size <= limit {
            return Err(InspectError::FixAlreadyFits {
                size: current.size,
                limit,
            }
            .into());
        }
        let job = FixJob::Shrink { limit, min_dpi };
        self.propose_on(&dossier_id, &requirement_id, current, job, runner)
    }

    /// Saves the requirement's PDF without its encryption, to replace it
    /// once accepted. A PDF with usage restrictions only needs no
    /// password; one that needs a password is opened with `password`
    /// (passed to the child through its stdin, never kept).
    pub fn propose_unlock(
        &mut self,
        dossier_id: &str,
        requirement_id: &str,
        password: Option<&Secret>,
        runner: &FixRunner<'_>,
    ) -> Result<FixProposal> {
        let (dossier_id, requirement_id, current) = self.attached(dossier_id, requirement_id)?;
        let job = FixJob::Unlock {
            password: password.map(|p| p.as_str().to_owned()),
        };
        self.propose_on(&dossier_id, &requirement_id, current, job, runner)
    }

    /// The requirement's photo cropped around its one face to the pack's
    /// photo specification (35 × 45, the head at the middle of the asked
    /// range, exactly the asked pixels), as a JPEG proposal. Nothing is
    /// retouched; a photo without exactly one face, or without
    /// enough pixels around it, is refused.
    pub fn propose_crop_photo(
        &mut self,
        dossier_id: &str,
        requirement_id: &str,
        runner: &FixRunner<'_>,
    ) -> Result<FixProposal> {
        let (dossier_id, requirement_id, current) = self.attached(dossier_id, requirement_id)?;
        let dossier = self.dossier(&dossier_id)?;
        let pack = self.program(&dossier.program_id)?;
        let requirement = requirement_of(pack, &requirement_id, RequirementKind::Document)?;
        let spec = requirement
            .photo
            .as_ref()
            .ok_or_else(|| InspectError::FixNotAPhoto {
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
        self.propose_on(&dossier_id, &requirement_id, current, job, runner)
    }

    /// Makes the proposal for `requirement_id` whose content is `sha256`
    /// the requirement's document, and returns it with the document it
    /// replaced (kept in the vault for [`Workspace::reattach`]). Refused
    /// with [`crate::InspectError::FixStale`] when there is no such proposal (never
    /// made, discarded, or made before a restart), when its content is no
    /// longer in the vault, or when the requirement's document changed
    /// since it was made.
    pub fn accept_fix(
        &mut self,
        dossier_id: &str,
        requirement_id: &str,
        sha256: &str,
        now: DateTime<Utc>,
    ) -> Result<FixOutcome> {
        let (dossier_id, requirement_id, current) = self.target(dossier_id, requirement_id)?;
        let stale = || {
            Error::from(InspectError::FixStale {
                requirement: requirement_id.clone(),
            })
        };
        let key = self.pending_key(&dossier_id, &requirement_id);
        let proposal = {
            let mut pending = pending();
            match pending.get(&key) {
                Some(p) if p.sha256 == sha256 => pending.remove(&key),
                _ => None,
            }
        }
        .ok_or_else(stale)?;
        let replaces = proposal.replaces.as_ref().map(|d| &d.sha256);
        if current.as_ref().map(|d| &d.sha256) != replaces {
            self.forget_unreferenced(&proposal.sha256)?;
            return Err(stale());
        }
        // What is recorded comes from the vault, not from memory: the
        // content must still be there, whole.
        let examined = self.vault.examine(&proposal.sha256);
        if examined.integrity != crate::vault::Integrity::Intact {
            return Err(stale());
        }
        let document = Document {
            requirement_id: requirement_id.clone(),
            sha256: proposal.sha256,
            size: examined.size,
            kind: examined.kind,
            original_name: with_extension(&proposal.name, examined.kind),
            attached_at: now,
        };
        self.store.put_document(&dossier_id, &document)?;
        Ok(FixOutcome {
            document,
            replaced: current,
            facts: proposal.facts,
        })
    }

    /// Forgets the proposal for `requirement_id` whose content is `sha256`
    /// and deletes that content from the vault, unless a document refers
    /// to it (the same bytes attached elsewhere). Discarding what is not
    /// pending (already answered, or made before a restart) does nothing.
    pub fn discard_fix(
        &mut self,
        dossier_id: &str,
        requirement_id: &str,
        sha256: &str,
    ) -> Result<()> {
        let (dossier_id, requirement_id, _) = self.target(dossier_id, requirement_id)?;
        let key = self.pending_key(&dossier_id, &requirement_id);
        let discarded = {
            let mut pending = pending();
            match pending.get(&key) {
                Some(p) if p.sha256 == sha256 => pending.remove(&key),
                _ => None,
            }
        };
        match discarded {
            Some(proposal) => self.forget_unreferenced(&proposal.sha256),
            None => Ok(()),
        }
    }

    fn pending_key(&self, dossier_id: &str, requirement_id: &str) -> PendingKey {
        (
            self.data_dir.clone(),
            dossier_id.to_owned(),
            requirement_id.to_owned(),
        )
    }

    /// Deletes a proposal's content unless a document or another pending
    /// proposal still needs it.
    fn forget_unreferenced(&self, sha256: &str) -> Result<()> {
        let proposed_elsewhere = pending()
            .iter()
            .any(|(key, p)| key.0 == self.data_dir && p.sha256 == sha256);
        if proposed_elsewhere || self.store.referenced_objects()?.contains(sha256) {
            return Ok(());
        }
        self.vault.remove(sha256)
    }

    /// The content of the pending proposal for `requirement_id` whose hash
    /// is `sha256`, for the "after" preview: at most `limit` bytes, else
    /// [`crate::VaultError::FileTooLarge`]. Only a pending proposal's content is read.
    pub fn proposal_content(
        &self,
        dossier_id: &str,
        requirement_id: &str,
        sha256: &str,
        limit: u64,
    ) -> Result<Vec<u8>> {
        let (dossier_id, requirement_id, _) = self.target(dossier_id, requirement_id)?;
        let proposal = pending()
            .get(&self.pending_key(&dossier_id, &requirement_id))
            .filter(|p| p.sha256 == sha256)
            .cloned()
            .ok_or(InspectError::FixStale {
                requirement: requirement_id,
            })?;
        if proposal.facts.size > limit {
            return Err(VaultError::FileTooLarge {
                path: proposal.name,
                size: proposal.facts.size,
                limit,
            }
            .into());
        }
        self.vault.read(&proposal.sha256, limit)
    }

    /// A file the user picked to combine, for its thumbnail in the strip:
    /// its kind (from its first bytes) and, when it is a PDF, JPEG or PNG of
    /// at most `limit` bytes, its content; any other file is refused with
    /// [`crate::VaultError::PreviewUnavailable`], a larger one with
    /// [`crate::VaultError::FileTooLarge`]. Only read; the window decodes it (images
    /// as the webview does, PDFs with pdf.js), as for the document preview.
    pub fn fix_source_content(&self, path: &std::path::Path, limit: u64) -> Result<Vec<u8>> {
        use std::io::Read;
        let (file, meta) = crate::regular_file::open(path)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if meta.len() > limit {
            return Err(VaultError::FileTooLarge {
                path: name,
                size: meta.len(),
                limit,
            }
            .into());
        }
        let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
        file.take(limit)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::reading(path, e))?;
        let kind = crate::kind::detect(&bytes[..bytes.len().min(crate::kind::SNIFF_LEN)]);
        if !matches!(kind, FileKind::Pdf | FileKind::Jpeg | FileKind::Png) {
            return Err(VaultError::PreviewUnavailable {
                name,
                kind: kind.label().to_owned(),
            }
            .into());
        }
        Ok(bytes)
    }

    /// [`Workspace::target`] for a fix of the attached document, which
    /// there must be.
    fn attached(
        &self,
        dossier_id: &str,
        requirement_id: &str,
    ) -> Result<(String, String, Document)> {
        let (dossier_id, requirement_id, current) = self.target(dossier_id, requirement_id)?;
        let current = current.ok_or_else(|| DossierError::NotAttached {
            id: requirement_id.clone(),
        })?;
        Ok((dossier_id, requirement_id, current))
    }

    /// Runs `job` on the requirement's current document and proposes the
    /// result under the document's name.
    fn propose_on(
        &mut self,
        dossier_id: &str,
        requirement_id: &str,
        current: Document,
        job: FixJob,
        runner: &FixRunner<'_>,
    ) -> Result<FixProposal> {
        let input = self.input(
            dossier_id,
            &FixSource::Vault {
                sha256: current.sha256.clone(),
            },
        )?;
        let name = current.original_name.clone();
        self.run_and_propose(
            dossier_id,
            requirement_id,
            Some(current),
            job,
            vec![input],
            name,
            runner,
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
                    return Err(VaultError::FileBeyondHardCap {
                        path: path.display().to_string(),
                        size: meta.len(),
                        cap: HARD_CAP,
                    }
                    .into());
                }
                Ok(FixInput {
                    content: Box::new(file),
                    len: meta.len(),
                })
            }
            FixSource::Vault { sha256 } => {
                let documents = self.store.documents(dossier_id)?;
                let Some(doc) = documents.iter().find(|d| &d.sha256 == sha256) else {
                    return Err(InspectError::FixBadRequest {
                        detail: "a content that is not this dossier's".into(),
                    }
                    .into());
                };
                let content = self.vault.open_content(&doc.sha256)?;
                Ok(FixInput {
                    content: Box::new(content),
                    len: doc.size,
                })
            }
        }
    }

    /// Runs `job` in the child and keeps what it made as the proposal for
    /// the requirement, named `name` (with the made kind's extension).
    #[allow(clippy::too_many_arguments)]
    fn run_and_propose(
        &mut self,
        dossier_id: &str,
        requirement_id: &str,
        replaces: Option<Document>,
        job: FixJob,
        inputs: Vec<FixInput>,
        name: String,
        runner: &FixRunner<'_>,
    ) -> Result<FixProposal> {
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
            FixRun::Cancelled => return Err(FileError::Cancelled.into()),
        };
        self.keep_proposal(
            dossier_id,
            requirement_id,
            replaces,
            &made.bytes,
            made.facts,
            &name,
        )
    }

    /// Keeps `bytes` in the vault as the pending proposal for the
    /// requirement, replacing (and deleting) an older one.
    fn keep_proposal(
        &mut self,
        dossier_id: &str,
        requirement_id: &str,
        replaces: Option<Document>,
        bytes: &[u8],
        facts: FixFacts,
        name: &str,
    ) -> Result<FixProposal> {
        if bytes.len() as u64 > HARD_CAP {
            return Err(InspectError::FixOutputTooLarge {
                size: bytes.len() as u64,
            }
            .into());
        }
        // Kept as an attached file is: encrypted into tmp/, synced, renamed.
        let tmp = self.vault.tmp_dir();
        let staged = self.vault.stage(
            &mut &bytes[..],
            HARD_CAP,
            &|e| Error::writing(&tmp, e),
            &|size| Error::from(InspectError::FixOutputTooLarge { size }),
        )?;
        let stored = self.vault.keep(staged)?;
        let dossier = self.dossier(dossier_id)?;
        let pack = self.program(&dossier.program_id)?;
        let requirement = requirement_of(pack, requirement_id, RequirementKind::Document)?;
        let proposal = FixProposal {
            dossier_id: dossier_id.to_owned(),
            requirement_id: requirement_id.to_owned(),
            sha256: stored.sha256,
            name: with_extension(name, stored.kind),
            facts: FixFacts {
                kind: stored.kind,
                size: stored.size,
                ..facts
            },
            limit: pack.max_size_bytes(requirement),
            replaces,
        };
        let key = self.pending_key(dossier_id, requirement_id);
        let older = pending().insert(key, proposal.clone());
        if let Some(older) = older.filter(|o| o.sha256 != proposal.sha256) {
            self.forget_unreferenced(&older.sha256)?;
        }
        Ok(proposal)
    }
}

/// The error for a child that failed the way an inspection can.
fn failure(verdict: Verdict, limits: &Limits) -> Error {
    match verdict {
        Verdict::TimedOut { .. } => Error::from(InspectError::FixTimedOut {
            seconds: limits.wall_time.as_secs(),
        }),
        Verdict::OutOfMemory { limit_mib } => {
            Error::from(InspectError::FixOutOfMemory { limit_mib })
        }
        // A vault copy that no longer decrypts.
        Verdict::Damaged => Error::from(InspectError::FixInputUnreadable { input: 1 }),
        other => Error::from(InspectError::FixCrashed {
            detail: other.code().to_owned(),
        }),
    }
}

impl From<FixProblem> for Error {
    fn from(problem: FixProblem) -> Error {
        match problem {
            FixProblem::InputUnreadable { input } => {
                Error::from(InspectError::FixInputUnreadable { input })
            }
            FixProblem::InputUnsupported { input, kind } => {
                Error::from(InspectError::FixInputUnsupported { input, kind })
            }
            FixProblem::InputHeic { input } => Error::from(InspectError::FixInputHeic { input }),
            FixProblem::InputLocked { input } => {
                Error::from(InspectError::FixInputLocked { input })
            }
            FixProblem::ImageTooLarge {
                input,
                width,
                height,
            } => Error::from(InspectError::FixImageTooLarge {
                input,
                width,
                height,
            }),
            FixProblem::NoSuchPage { input, page, pages } => {
                Error::from(InspectError::FixNoSuchPage { input, page, pages })
            }
            FixProblem::TooManyPages { pages, limit } => {
                Error::from(InspectError::FixTooManyPages { pages, most: limit })
            }
            FixProblem::BadRequest { detail } => {
                Error::from(InspectError::FixBadRequest { detail })
            }
            FixProblem::NotEncrypted => Error::from(InspectError::FixNotEncrypted),
            FixProblem::NeedsPassword => Error::from(InspectError::FixNeedsPassword),
            FixProblem::WrongPassword => Error::from(InspectError::FixWrongPassword),
            FixProblem::AlreadyFits { size, limit } => {
                Error::from(InspectError::FixAlreadyFits { size, limit })
            }
            FixProblem::CannotFit {
                limit,
                smallest,
                min_dpi,
                has_images: true,
            } => Error::from(InspectError::FixCannotFit {
                limit,
                smallest,
                min_dpi,
            }),
            FixProblem::CannotFit {
                limit, smallest, ..
            } => Error::from(InspectError::FixNoImages { limit, smallest }),
            FixProblem::OutputTooLarge { size } => {
                Error::from(InspectError::FixOutputTooLarge { size })
            }
            FixProblem::NoSingleFace { faces } => {
                Error::from(InspectError::FixNoSingleFace { faces })
            }
            FixProblem::PhotoTooSmall {
                width,
                height,
                min_width,
                min_height,
            } => Error::from(InspectError::FixPhotoTooSmall {
                width,
                height,
                min_width,
                min_height,
            }),
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

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-02T09:00:00Z")
            .expect("time")
            .with_timezone(&Utc)
    }

    /// A workspace with a dossier whose passport copy is `old.pdf`.
    fn attached() -> (tempfile::TempDir, Workspace, String, Document) {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut ws = Workspace::open(&dir.path().join("data")).expect("open");
        let dossier = ws
            .create_dossier("kz-ai-pilot", "Test Person", now())
            .expect("dossier");
        let file = dir.path().join("old.pdf");
        std::fs::write(&file, b"%PDF-1.4\n%the old one, too large\n").expect("write");
        let old = ws
            .attach(&dossier.id, "passport-copy", &file, now())
            .expect("attach");
        (dir, ws, dossier.id, old)
    }

    fn facts(size: usize) -> FixFacts {
        FixFacts {
            kind: FileKind::Pdf,
            size: size as u64,
            pages: 1,
            dpi: Some(200),
        }
    }

    /// A child's result as `run_and_propose` keeps it.
    fn propose(ws: &mut Workspace, dossier: &str, old: &Document, bytes: &[u8]) -> FixProposal {
        ws.keep_proposal(
            dossier,
            "passport-copy",
            Some(old.clone()),
            bytes,
            facts(bytes.len()),
            "old.pdf",
        )
        .expect("proposal")
    }

    #[test]
    fn a_proposal_is_kept_but_replaces_nothing_until_accepted() {
        let (_dir, mut ws, dossier, old) = attached();
        let made = b"%PDF-1.4\n%smaller\n";
        let proposal = propose(&mut ws, &dossier, &old, made);
        assert!(ws.vault.contains(&proposal.sha256), "kept in the vault");
        assert_eq!(proposal.facts.size, made.len() as u64);
        assert_eq!(proposal.replaces.as_ref(), Some(&old));
        assert_eq!(proposal.name, "old.pdf");
        let documents = ws.store().documents(&dossier).expect("docs");
        assert_eq!(documents, vec![old.clone()], "the document is unchanged");

        let outcome = ws
            .accept_fix(&dossier, "passport-copy", &proposal.sha256, now())
            .expect("accept");
        assert_eq!(outcome.document.sha256, proposal.sha256);
        assert_eq!(outcome.document.size, made.len() as u64);
        assert_eq!(outcome.document.kind, FileKind::Pdf);
        assert_eq!(outcome.replaced.as_ref(), Some(&old));
        let documents = ws.store().documents(&dossier).expect("docs");
        assert_eq!(documents, vec![outcome.document.clone()]);
        assert!(ws.vault.contains(&old.sha256), "kept for undo");

        // Undo: the replaced document comes back from the vault.
        let back = ws
            .reattach(
                &dossier,
                "passport-copy",
                &old.sha256,
                &old.original_name,
                now(),
            )
            .expect("undo");
        assert_eq!(back.sha256, old.sha256);

        // Answered once: a second accept is refused.
        let again = ws.accept_fix(&dossier, "passport-copy", &proposal.sha256, now());
        assert!(
            matches!(again, Err(Error::Inspect(InspectError::FixStale { .. }))),
            "{again:?}"
        );
    }

    #[test]
    fn only_a_pending_proposals_content_is_read_for_the_preview() {
        let (_dir, mut ws, dossier, old) = attached();
        let made = b"%PDF-1.4\n%preview me\n";
        let proposal = propose(&mut ws, &dossier, &old, made);
        let read = ws
            .proposal_content(&dossier, "passport-copy", &proposal.sha256, 1 << 20)
            .expect("read");
        assert_eq!(read, made);
        let small = ws.proposal_content(&dossier, "passport-copy", &proposal.sha256, 4);
        assert!(
            matches!(small, Err(Error::Vault(VaultError::FileTooLarge { .. }))),
            "{small:?}"
        );
        // The document's own content is not a proposal's.
        let other = ws.proposal_content(&dossier, "passport-copy", &old.sha256, 1 << 20);
        assert!(
            matches!(other, Err(Error::Inspect(InspectError::FixStale { .. }))),
            "{other:?}"
        );
    }

    #[test]
    fn a_picked_file_is_read_for_its_thumbnail_only_when_the_window_can_show_it() {
        let (dir, ws, _dossier, _old) = attached();
        let jpeg = dir.path().join("page.jpg");
        std::fs::write(&jpeg, [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F']).expect("write");
        assert_eq!(
            ws.fix_source_content(&jpeg, 1 << 20).expect("jpeg").len(),
            8
        );
        let text = dir.path().join("notes.txt");
        std::fs::write(&text, b"just words").expect("write");
        let refused = ws.fix_source_content(&text, 1 << 20);
        assert!(
            matches!(
                refused,
                Err(Error::Vault(VaultError::PreviewUnavailable { .. }))
            ),
            "{refused:?}"
        );
        let big = ws.fix_source_content(&jpeg, 4);
        assert!(
            matches!(big, Err(Error::Vault(VaultError::FileTooLarge { .. }))),
            "{big:?}"
        );
    }

    #[test]
    fn a_discarded_proposal_leaves_the_vault_and_cannot_be_accepted() {
        let (_dir, mut ws, dossier, old) = attached();
        let proposal = propose(&mut ws, &dossier, &old, b"%PDF-1.4\n%discarded\n");
        ws.discard_fix(&dossier, "passport-copy", &proposal.sha256)
            .expect("discard");
        assert!(!ws.vault.contains(&proposal.sha256), "deleted at once");
        assert!(ws.vault.contains(&old.sha256), "the document stays");
        assert_eq!(ws.store().documents(&dossier).expect("docs"), vec![old]);
        let late = ws.accept_fix(&dossier, "passport-copy", &proposal.sha256, now());
        assert!(
            matches!(late, Err(Error::Inspect(InspectError::FixStale { .. }))),
            "{late:?}"
        );
    }

    #[test]
    fn discarding_content_a_document_has_deletes_nothing() {
        let (_dir, mut ws, dossier, old) = attached();
        // The "result" is byte for byte the document itself.
        let same = ws.vault.read(&old.sha256, HARD_CAP).expect("read");
        let proposal = propose(&mut ws, &dossier, &old, &same);
        assert_eq!(proposal.sha256, old.sha256);
        ws.discard_fix(&dossier, "passport-copy", &proposal.sha256)
            .expect("discard");
        assert!(
            ws.vault.contains(&old.sha256),
            "the document's content stays"
        );
    }

    #[test]
    fn a_newer_proposal_replaces_the_older_one() {
        let (_dir, mut ws, dossier, old) = attached();
        let first = propose(&mut ws, &dossier, &old, b"%PDF-1.4\n%first\n");
        let second = propose(&mut ws, &dossier, &old, b"%PDF-1.4\n%second\n");
        assert!(
            !ws.vault.contains(&first.sha256),
            "the older one is deleted"
        );
        let stale = ws.accept_fix(&dossier, "passport-copy", &first.sha256, now());
        assert!(
            matches!(stale, Err(Error::Inspect(InspectError::FixStale { .. }))),
            "{stale:?}"
        );
        ws.accept_fix(&dossier, "passport-copy", &second.sha256, now())
            .expect("the newer one is accepted");
    }

    #[test]
    fn a_proposal_is_refused_when_the_document_changed_meanwhile() {
        let (dir, mut ws, dossier, old) = attached();
        let proposal = propose(&mut ws, &dossier, &old, b"%PDF-1.4\n%made\n");
        let other = dir.path().join("other.pdf");
        std::fs::write(&other, b"%PDF-1.4\n%attached meanwhile\n").expect("write");
        let newer = ws
            .attach(&dossier, "passport-copy", &other, now())
            .expect("attach");
        let result = ws.accept_fix(&dossier, "passport-copy", &proposal.sha256, now());
        assert!(
            matches!(result, Err(Error::Inspect(InspectError::FixStale { .. }))),
            "{result:?}"
        );
        assert_eq!(ws.store().documents(&dossier).expect("docs"), vec![newer]);
        assert!(
            !ws.vault.contains(&proposal.sha256),
            "the stale result is gone"
        );
    }

    #[test]
    fn an_unanswered_proposal_is_swept_at_the_next_lone_open() {
        let (dir, mut ws, dossier, old) = attached();
        let proposal = propose(&mut ws, &dossier, &old, b"%PDF-1.4\n%never answered\n");
        drop(ws);
        let ws = Workspace::open(&dir.path().join("data")).expect("reopen");
        assert!(!ws.vault.contains(&proposal.sha256), "swept");
        assert!(ws.vault.contains(&old.sha256));
    }

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
            Error::from(InspectError::FixCannotFit {
                limit: 10,
                smallest: 20,
                min_dpi: 200
            })
        );
        let no_images = FixProblem::CannotFit {
            limit: 10,
            smallest: 20,
            min_dpi: 200,
            has_images: false,
        };
        assert_eq!(
            Error::from(no_images),
            Error::from(InspectError::FixNoImages {
                limit: 10,
                smallest: 20
            })
        );
    }
}
