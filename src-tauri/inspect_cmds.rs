//! Inspecting a dossier's files and the dates the user reads off them.
//!
//! Inspection runs this very binary as a child process (`main.rs` checks for
//! [`APP_CHILD_FLAG`] before Tauri starts) for every attached file without a
//! cached verdict. Like packing, it does not hold the shared workspace's
//! lock while children run: it takes the data folder and the rule packs
//! under the lock, then inspects through a second connection to the same
//! store (SQLite in WAL mode), so attaching, dating and reading stay usable.
//! The verdicts land in the shared cache, which the final report reads. The
//! job is named by the UI and stops at the next file on `cancel_pack`.

use chrono::Utc;
use qujat_core::inspect::{InspectorCommand, Limits, APP_CHILD_FLAG};
use qujat_core::model::DocumentDates;
use qujat_core::report::DossierReport;
use qujat_core::{parse_date, DatesView, Error, InspectProgress, PagesRead, ReadingView};
use serde::Serialize;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use tauri::ipc::Channel;
use tauri::State;
use ts_rs::TS;

use crate::commands::{today, with_workspace};
use crate::package_cmds::{blocking, Jobs};
use crate::AppState;

type Result<T> = std::result::Result<T, Error>;

/// One file inspected, or one page of a scan started, for the "Checking
/// documents… n of m" and "reading page 2 of 5" indicator.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct InspectStep {
    /// Files done so far (this one included when it is done).
    pub done: u32,
    /// Files to inspect in all.
    pub total: u32,
    /// The requirements the file is attached to.
    pub requirements: Vec<String>,
    /// The page of a scan being read (from 1), when this step is a page.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub page: Option<u32>,
    /// The pages of that scan being read.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub pages: Option<u32>,
}

/// Inspects every attached file of the dossier without a current verdict,
/// reporting each file done on `on_progress`, and returns the checklist.
/// Files already inspected start no process at all.
#[tauri::command]
pub async fn inspect_dossier(
    state: State<'_, AppState>,
    jobs: State<'_, Jobs>,
    job_id: String,
    dossier_id: String,
    on_progress: Channel<InspectStep>,
) -> Result<DossierReport> {
    let job = jobs.start(job_id);
    let for_job = with_workspace(state.clone(), |ws| Ok(ws.for_job())).await?;
    let id = dossier_id.clone();
    blocking(move || {
        let inspector = InspectorCommand::current_exe(&[APP_CHILD_FLAG])?;
        let mut ws = for_job.open()?;
        // Files done so far, shared with the page reports of the workers.
        let done = Arc::new(AtomicU32::new(0));
        let total = Arc::new(AtomicU32::new(0));
        let mut report = |p: &InspectProgress<'_>| {
            let step_done = u32::try_from(p.done).unwrap_or(u32::MAX);
            let step_total = u32::try_from(p.total).unwrap_or(u32::MAX);
            done.store(step_done, Ordering::Relaxed);
            total.store(step_total, Ordering::Relaxed);
            // The window may have closed meanwhile; the job goes on regardless.
            let _ = on_progress.send(InspectStep {
                done: step_done,
                total: step_total,
                requirements: p.requirements.to_vec(),
                page: None,
                pages: None,
            });
        };
        let channel = on_progress.clone();
        let (page_done, page_total) = (done.clone(), total.clone());
        let pages: PagesRead = Arc::new(move |requirements: &[String], page, of| {
            let _ = channel.send(InspectStep {
                done: page_done.load(Ordering::Relaxed),
                total: page_total.load(Ordering::Relaxed),
                requirements: requirements.to_vec(),
                page: Some(page),
                pages: Some(of),
            });
        });
        ws.inspect_pending_with_pages(
            &id,
            &inspector,
            &Limits::default(),
            &mut report,
            Some(pages),
            &job.flag,
            Utc::now(),
        )
    })
    .await?;
    with_workspace(state, move |ws| ws.report(&dossier_id, None, today())).await
}

/// The dates entered for the document of a requirement, and those found in
/// its text.
#[tauri::command]
pub async fn document_dates(
    state: State<'_, AppState>,
    dossier_id: String,
    requirement_id: String,
) -> Result<DatesView> {
    with_workspace(state, move |ws| {
        ws.document_dates(&dossier_id, &requirement_id)
    })
    .await
}

/// "What Qujat read" in the document of a requirement: its text, and for
/// a scan what OCR read page by page.
#[tauri::command]
pub async fn document_reading(
    state: State<'_, AppState>,
    dossier_id: String,
    requirement_id: String,
) -> Result<ReadingView> {
    with_workspace(state, move |ws| {
        ws.document_reading(&dossier_id, &requirement_id)
    })
    .await
}

/// Records the dates (YYYY-MM-DD, or nothing) the user read off the document
/// of a requirement, replacing both, and returns the checklist.
#[tauri::command]
pub async fn set_document_dates(
    state: State<'_, AppState>,
    dossier_id: String,
    requirement_id: String,
    issued: Option<String>,
    expires: Option<String>,
) -> Result<DossierReport> {
    with_workspace(state, move |ws| {
        let day = |v: Option<String>| {
            v.filter(|s| !s.trim().is_empty())
                .map(|s| parse_date(&s))
                .transpose()
        };
        let dates = DocumentDates {
            issued_on: day(issued)?,
            expires_on: day(expires)?,
        };
        let today = today();
        ws.set_document_dates(&dossier_id, &requirement_id, dates, today, Utc::now())?;
        ws.report(&dossier_id, None, today)
    })
    .await
}
