//! Inspecting a dossier's files and the dates the user reads off them.
//!
//! [`Workspace::inspect_pending`] runs the inspector child for every
//! attached content without a current cached verdict, two at a time; the
//! report afterwards only reads the cache, so a re-check of unchanged files
//! starts no process at all.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use ts_rs::TS;

use super::{requirement_of, Workspace};
use crate::error::{DossierError, Result};
use crate::inspect::{
    inspect_content_with_pages, inspect_file, InspectorCommand, Limits, PageProgress, Verdict,
};
use crate::rules::RequirementKind;
use crate::store::DocumentDates;

/// Inspections that run at once: one per core on the 2-core machines Qujat
/// is measured on; more only queues parsers against each other.
const PARALLEL: usize = 2;

/// What [`Workspace::inspect_pending`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct InspectSummary {
    /// Files inspected now.
    pub inspected: u32,
    /// Of those, files whose verdict is not "inspected" (unreadable, timed
    /// out, crashed, damaged…).
    pub failed: u32,
    /// Files that already had a current verdict and were left alone.
    pub cached: u32,
    /// Whether the user cancelled before every file was done.
    pub cancelled: bool,
}

/// One file done, for a progress display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectProgress<'a> {
    /// Files done so far, this one included.
    pub done: usize,
    /// Files to inspect in all.
    pub total: usize,
    /// The content's hash.
    pub sha256: &'a str,
    /// The requirements it is attached to.
    pub requirements: &'a [String],
    /// The verdict.
    pub verdict: &'a Verdict,
}

/// Told, from a worker thread, of each page of a scan as it starts being
/// read: the requirements of the file, the page (from 1) and the pages.
pub type PagesRead = std::sync::Arc<dyn Fn(&[String], u32, u32) + Send + Sync>;

/// The dates of a document and the dates found in its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DatesView {
    /// The requirement.
    pub requirement_id: String,
    /// The dates entered for the attached file.
    pub dates: DocumentDates,
    /// Dates found in its text, to pick from; never used on their own.
    #[ts(type = "Array<string>")]
    pub found: Vec<NaiveDate>,
    /// Whether the file has been inspected (without it, nothing is found).
    pub inspected: bool,
    /// The expiry in the file's machine-readable zone, all check digits
    /// valid: offered for "valid until", never entered on its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string")]
    pub expiry_from_mrz: Option<NaiveDate>,
}

/// "What Qujat read": the text inspection got out of a document (its text
/// layer, or what OCR read page by page), so the user can see why a
/// finding was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReadingView {
    /// The requirement.
    pub requirement_id: String,
    /// Whether the file has been inspected (without it, nothing was read).
    pub inspected: bool,
    /// The whole text, as the findings see it.
    pub text: String,
    /// What OCR read, page by page, for scans.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ocr: Option<crate::inspect::OcrFacts>,
    /// The machine-readable zone, if one was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub mrz: Option<crate::mrz::Mrz>,
}

impl Workspace {
    /// What inspection read in the document attached to a requirement.
    pub fn document_reading(&self, dossier_id: &str, requirement_id: &str) -> Result<ReadingView> {
        let dossier = self.dossier(dossier_id)?;
        let pack = self.program(&dossier.program_id)?;
        let requirement = requirement_of(pack, requirement_id, RequirementKind::Document)?;
        let doc = self
            .store
            .documents(&dossier.id)?
            .into_iter()
            .find(|d| d.requirement_id == requirement.id)
            .ok_or_else(|| DossierError::NotAttached {
                id: requirement.id.clone(),
            })?;
        let cached = self.store.inspections([doc.sha256.as_str()])?;
        let record = cached
            .get(&doc.sha256)
            .and_then(|c| c.verdict.inspection().cloned());
        Ok(match record {
            Some(record) => ReadingView {
                requirement_id: requirement.id.clone(),
                inspected: true,
                text: record.text,
                ocr: record.ocr,
                mrz: record.mrz,
            },
            None => ReadingView {
                requirement_id: requirement.id.clone(),
                inspected: false,
                text: String::new(),
                ocr: None,
                mrz: None,
            },
        })
    }

    /// Inspects every file attached to the dossier that has no current
    /// cached verdict, in child processes started with `inspector` under
    /// `limits`, and caches the verdicts. Each file's failure is its own
    /// verdict; this fails only if no child can be started or the store
    /// cannot be written. `cancel` stops before the next file starts.
    pub fn inspect_pending(
        &mut self,
        dossier_id: &str,
        inspector: &InspectorCommand,
        limits: &Limits,
        progress: &mut dyn FnMut(&InspectProgress<'_>),
        cancel: &AtomicBool,
        now: DateTime<Utc>,
    ) -> Result<InspectSummary> {
        self.inspect_pending_with_pages(dossier_id, inspector, limits, progress, None, cancel, now)
    }

    /// [`Workspace::inspect_pending`], also telling `pages` of each page of
    /// a scan as it starts being read. `cancel` also stops the files being
    /// read (their children are killed; they stay uninspected).
    #[allow(clippy::too_many_arguments)]
    pub fn inspect_pending_with_pages(
        &mut self,
        dossier_id: &str,
        inspector: &InspectorCommand,
        limits: &Limits,
        progress: &mut dyn FnMut(&InspectProgress<'_>),
        pages: Option<PagesRead>,
        cancel: &AtomicBool,
        now: DateTime<Utc>,
    ) -> Result<InspectSummary> {
        let dossier = self.dossier(dossier_id)?;
        // One inspection per content, whichever requirements share it.
        let mut by_content: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for doc in self.store.documents(&dossier.id)? {
            by_content
                .entry(doc.sha256)
                .or_default()
                .push(doc.requirement_id);
        }
        let cached = self
            .store
            .inspections(by_content.keys().map(String::as_str))?;
        let pending: Vec<(String, Vec<String>)> = by_content
            .into_iter()
            .filter(|(sha, _)| !cached.contains_key(sha) && self.vault.contains(sha))
            .collect();
        let mut summary = InspectSummary {
            cached: u32::try_from(cached.len()).unwrap_or(u32::MAX),
            ..InspectSummary::default()
        };
        if pending.is_empty() {
            return Ok(summary);
        }

        let next = AtomicUsize::new(0);
        let (sender, receiver) = mpsc::channel::<(usize, Result<Verdict>)>();
        let vault = &self.vault;
        let pending_ref = &pending;
        std::thread::scope(|scope| -> Result<()> {
            for _ in 0..PARALLEL.min(pending.len()) {
                let sender = sender.clone();
                let next = &next;
                let pages = pages.clone();
                scope.spawn(move || loop {
                    if cancel.load(Ordering::Relaxed) {
                        break;
                    }
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((sha, requirements)) = pending_ref.get(i) else {
                        break;
                    };
                    let file_pages: Option<PageProgress> = pages.as_ref().map(|pages| {
                        let pages = pages.clone();
                        let requirements = requirements.clone();
                        std::sync::Arc::new(move |page, of| pages(&requirements, page, of))
                            as PageProgress
                    });
                    // Decrypted as it streams into the child's stdin; the
                    // plaintext never touches the disk.
                    let verdict = match vault.open_content(sha) {
                        Ok(content) => inspect_content_with_pages(
                            inspector,
                            Box::new(content),
                            limits,
                            Some(sha),
                            file_pages,
                            cancel,
                        ),
                        Err(_) => Ok(Some(Verdict::Damaged)),
                    };
                    // Cancelled while its child ran: not judged, not cached.
                    let verdict = match verdict {
                        Ok(Some(v)) => Ok(v),
                        Ok(None) => break,
                        Err(e) => Err(e),
                    };
                    if sender.send((i, verdict)).is_err() {
                        break;
                    }
                });
            }
            drop(sender);
            // The store is written here, on this thread, as verdicts come:
            // an interrupted check keeps every verdict it already had.
            let mut first_error = None;
            for (i, verdict) in receiver {
                let verdict = match verdict {
                    Ok(v) => v,
                    Err(e) => {
                        first_error.get_or_insert(e);
                        cancel_all(&next, pending.len());
                        continue;
                    }
                };
                let (sha, requirements) = &pending[i];
                self.store.put_inspection(sha, &verdict, now)?;
                summary.inspected += 1;
                if verdict.inspection().is_none() {
                    summary.failed += 1;
                }
                progress(&InspectProgress {
                    done: summary.inspected as usize,
                    total: pending.len(),
                    sha256: sha,
                    requirements,
                    verdict: &verdict,
                });
            }
            first_error.map_or(Ok(()), Err)
        })?;
        summary.cancelled = (summary.inspected as usize) < pending.len();
        Ok(summary)
    }

    /// Forgets the cached verdicts on the dossier's files, so the next
    /// [`Workspace::inspect_pending`] inspects them all again.
    pub fn forget_inspections(&mut self, dossier_id: &str) -> Result<()> {
        let dossier = self.dossier(dossier_id)?;
        for doc in self.store.documents(&dossier.id)? {
            self.store.forget_inspection(&doc.sha256)?;
        }
        Ok(())
    }

    /// Inspects a file that is not attached to anything, in a child process.
    pub fn inspect_loose_file(
        inspector: &InspectorCommand,
        path: &Path,
        limits: &Limits,
    ) -> Result<Verdict> {
        // A folder, pipe or device is refused as what it is. The child reads
        // the file itself; opening it here first makes a permission problem
        // the user's error, not a verdict on the file.
        crate::regular_file::open(path)?;
        inspect_file(inspector, path, limits, None)
    }

    /// The dates entered for the document attached to a requirement, and
    /// those found in its text.
    pub fn document_dates(&self, dossier_id: &str, requirement_id: &str) -> Result<DatesView> {
        let dossier = self.dossier(dossier_id)?;
        let pack = self.program(&dossier.program_id)?;
        // Checked against the pack; the id kept is the one asked for, which may
        // be a per-citizenship row (`police-clearance@ru`).
        requirement_of(pack, requirement_id, RequirementKind::Document)?;
        let row = requirement_id.to_owned();
        let doc = self
            .store
            .documents(&dossier.id)?
            .into_iter()
            .find(|d| d.requirement_id == row)
            .ok_or_else(|| DossierError::NotAttached { id: row.clone() })?;
        let dates = self
            .store
            .document_dates(&dossier.id)?
            .remove(&row)
            .filter(|(sha, _)| *sha == doc.sha256)
            .map(|(_, dates)| dates)
            .unwrap_or_default();
        let verdict = self.store.inspections([doc.sha256.as_str()])?;
        let record = verdict
            .get(&doc.sha256)
            .and_then(|c| c.verdict.inspection().cloned());
        Ok(DatesView {
            requirement_id: row.clone(),
            dates,
            inspected: record.is_some(),
            expiry_from_mrz: record.as_ref().and_then(crate::findings::mrz_expiry),
            found: record.map(|r| r.dates).unwrap_or_default(),
        })
    }

    /// Records the dates the user read off the document attached to a
    /// requirement (replacing both). Refused when nothing is attached, when
    /// the day of issue is after `today`, or when it expires before it was
    /// issued.
    pub fn set_document_dates(
        &mut self,
        dossier_id: &str,
        requirement_id: &str,
        dates: DocumentDates,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<DatesView> {
        let view = self.document_dates(dossier_id, requirement_id)?;
        if let Some(issued) = dates.issued_on.filter(|d| *d > today) {
            return Err(DossierError::IssuedInFuture {
                date: issued.to_string(),
            }
            .into());
        }
        if let (Some(issued), Some(expires)) = (dates.issued_on, dates.expires_on) {
            if expires < issued {
                return Err(DossierError::DatesOutOfOrder {
                    issued: issued.to_string(),
                    expires: expires.to_string(),
                }
                .into());
            }
        }
        let dossier = self.dossier(dossier_id)?;
        let sha = self
            .store
            .documents(&dossier.id)?
            .into_iter()
            .find(|d| d.requirement_id == view.requirement_id)
            .map(|d| d.sha256)
            .ok_or_else(|| DossierError::NotAttached {
                id: view.requirement_id.clone(),
            })?;
        self.store
            .set_document_dates(&dossier.id, &view.requirement_id, &sha, dates, now)?;
        Ok(DatesView { dates, ..view })
    }
}

/// Makes every worker find nothing left to take.
fn cancel_all(next: &AtomicUsize, total: usize) {
    next.fetch_max(total, Ordering::Relaxed);
}
