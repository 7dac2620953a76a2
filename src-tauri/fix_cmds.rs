//! Fixing a requirement's file in the window: one PDF made of several
//! files, a file made small enough, a PDF saved without its restrictions.
//!
//! Thin commands over the core's propose / accept / discard
//! ([`qujat_core::Workspace::propose_combine`] and its siblings). A
//! proposal runs as inspection does (`inspect_cmds.rs`): in the inspector
//! child, on a blocking thread, through a job's own workspace so the shared
//! lock is not held, reporting "page 2 of 5" on a channel; the UI names the
//! job and stops it with `cancel_pack` like any other job. Its result is
//! shown, then accepted or discarded.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::Utc;
use qujat_core::inspect::fix::PagePick;
use qujat_core::inspect::{InspectorCommand, Limits, PageProgress, APP_CHILD_FLAG};
use qujat_core::report::DossierReport;
use qujat_core::{Error, FixProposal, FixRunner, FixSource, Secret, Workspace};
use serde::Serialize;
use tauri::ipc::{Channel, Response};
use tauri::State;
use ts_rs::TS;

use crate::commands::{today, with_workspace};
use crate::package_cmds::{blocking, Jobs};
use crate::AppState;

type Result<T> = std::result::Result<T, Error>;

/// The largest content read into the window for a thumbnail or the
/// "after" preview, as for the document preview.
const PREVIEW_LIMIT: u64 = 32 * 1024 * 1024;

/// One step of a fix: the page or image being made (from 1) of how many.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FixStep {
    /// The page being made, from 1.
    pub page: u32,
    /// The pages in all.
    pub pages: u32,
}

/// Runs `propose` in job `job_id`'s own workspace, with the inspector
/// child, the default limits, progress on `on_progress` and the job's
/// cancel flag.
async fn propose(
    state: State<'_, AppState>,
    jobs: State<'_, Jobs>,
    job_id: String,
    on_progress: Channel<FixStep>,
    propose: impl FnOnce(&mut Workspace, &FixRunner<'_>) -> Result<FixProposal> + Send + 'static,
) -> Result<FixProposal> {
    let job = jobs.start(job_id);
    let for_job = with_workspace(state, |ws| Ok(ws.for_job())).await?;
    blocking(move || {
        let inspector = InspectorCommand::current_exe(&[APP_CHILD_FLAG])?;
        let mut ws = for_job.open()?;
        let progress: PageProgress = Arc::new(move |page, pages| {
            // The window may have closed meanwhile; the job goes on regardless.
            let _ = on_progress.send(FixStep { page, pages });
        });
        let runner = FixRunner {
            inspector: &inspector,
            limits: Limits::default(),
            progress: Some(progress),
            cancel: &job.flag,
        };
        propose(&mut ws, &runner)
    })
    .await
}

/// Makes one PDF of `sources` (the user's files by path, or vault
/// contents), with `pages` picked, ordered and turned, for the requirement.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn propose_combine(
    state: State<'_, AppState>,
    jobs: State<'_, Jobs>,
    job_id: String,
    dossier_id: String,
    requirement_id: String,
    sources: Vec<FixSource>,
    pages: Option<Vec<PagePick>>,
    on_progress: Channel<FixStep>,
) -> Result<FixProposal> {
    propose(state, jobs, job_id, on_progress, move |ws, runner| {
        ws.propose_combine(&dossier_id, &requirement_id, &sources, pages, runner)
    })
    .await
}

/// Makes the requirement's file fit its size limit.
#[tauri::command]
pub async fn propose_shrink(
    state: State<'_, AppState>,
    jobs: State<'_, Jobs>,
    job_id: String,
    dossier_id: String,
    requirement_id: String,
    on_progress: Channel<FixStep>,
) -> Result<FixProposal> {
    propose(state, jobs, job_id, on_progress, move |ws, runner| {
        ws.propose_shrink(&dossier_id, &requirement_id, runner)
    })
    .await
}

/// Crops the requirement's photo to the pack's photo specification around
/// its one face (never retouched).
#[tauri::command]
pub async fn propose_crop_photo(
    state: State<'_, AppState>,
    jobs: State<'_, Jobs>,
    job_id: String,
    dossier_id: String,
    requirement_id: String,
    on_progress: Channel<FixStep>,
) -> Result<FixProposal> {
    propose(state, jobs, job_id, on_progress, move |ws, runner| {
        ws.propose_crop_photo(&dossier_id, &requirement_id, runner)
    })
    .await
}

/// Saves the requirement's PDF without its encryption; `password` only
/// when the core asked for it (`fix-needs-password`). The password is
/// held in memory that is wiped when the job ends, and never logged.
#[tauri::command]
pub async fn propose_unlock(
    state: State<'_, AppState>,
    jobs: State<'_, Jobs>,
    job_id: String,
    dossier_id: String,
    requirement_id: String,
    password: Option<String>,
    on_progress: Channel<FixStep>,
) -> Result<FixProposal> {
    let password = password.map(Secret::new);
    propose(state, jobs, job_id, on_progress, move |ws, runner| {
        ws.propose_unlock(&dossier_id, &requirement_id, password.as_ref(), runner)
    })
    .await
}

/// Makes the proposal `sha256` the requirement's document and returns the
/// checklist (the new content is inspected by the next check).
#[tauri::command]
pub async fn accept_fix(
    state: State<'_, AppState>,
    dossier_id: String,
    requirement_id: String,
    sha256: String,
) -> Result<DossierReport> {
    with_workspace(state, move |ws| {
        ws.accept_fix(&dossier_id, &requirement_id, &sha256, Utc::now())?;
        ws.report(&dossier_id, None, today())
    })
    .await
}

/// Forgets the proposal `sha256` and deletes its content.
#[tauri::command]
pub async fn discard_fix(
    state: State<'_, AppState>,
    dossier_id: String,
    requirement_id: String,
    sha256: String,
) -> Result<()> {
    with_workspace(state, move |ws| {
        ws.discard_fix(&dossier_id, &requirement_id, &sha256)
    })
    .await
}

/// The content of a pending proposal, for the "after" preview.
#[tauri::command]
pub async fn fix_content(
    state: State<'_, AppState>,
    dossier_id: String,
    requirement_id: String,
    sha256: String,
) -> Result<Response> {
    with_workspace(state, move |ws| {
        ws.proposal_content(&dossier_id, &requirement_id, &sha256, PREVIEW_LIMIT)
            .map(Response::new)
    })
    .await
}

/// The content of a file picked to combine, for its thumbnail in the strip.
#[tauri::command]
pub async fn fix_source_content(state: State<'_, AppState>, path: String) -> Result<Response> {
    with_workspace(state, move |ws| {
        ws.fix_source_content(&PathBuf::from(path), PREVIEW_LIMIT)
            .map(Response::new)
    })
    .await
}
