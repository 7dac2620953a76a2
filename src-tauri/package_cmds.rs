//! Packing a stage and verifying a package: the app's two long jobs.
//!
//! Both run on a blocking thread and report progress through a Tauri
//! channel, at most ten times a second: the core reports after every chunk,
//! from several worker threads, far more often than a progress bar can show.
//! The UI names each job; `cancel_pack` sets that job's cancel flag and the
//! core stops at its next chunk, leaving nothing behind.
//!
//! Packing does not hold the shared workspace's lock while it copies. Under
//! the lock it takes only the data folder and the rule packs, then opens a
//! second connection to the same store (SQLite in WAL mode lets the two work
//! side by side) and packs from that, so the rest of the UI stays usable
//! while gigabytes are copied. Vault files are never changed in place, so an
//! attachment made meanwhile cannot alter what is being copied.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use qujat_core::i18n::Lang;
use qujat_core::package::{
    self, PackFormat, PackOptions, PackSummary, Phase, Progress, VerifyReport,
};
use qujat_core::{Error, InternalError};
use tauri::ipc::Channel;
use tauri::State;

use crate::commands::{today, with_workspace};
use crate::AppState;

type Result<T> = std::result::Result<T, Error>;

/// The cancel flags of the running jobs, by the ids the UI gave them.
#[derive(Default, Clone)]
pub struct Jobs(Arc<Mutex<HashMap<String, Arc<AtomicBool>>>>);

impl Jobs {
    /// Registers job `id`; it is forgotten when the returned guard drops.
    pub(crate) fn start(&self, id: String) -> JobGuard {
        let flag = Arc::new(AtomicBool::new(false));
        self.lock().insert(id.clone(), flag.clone());
        JobGuard {
            jobs: self.clone(),
            id,
            flag,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<AtomicBool>>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A running job: its cancel flag, unregistered when the job ends.
pub(crate) struct JobGuard {
    jobs: Jobs,
    id: String,
    pub(crate) flag: Arc<AtomicBool>,
}

impl Drop for JobGuard {
    fn drop(&mut self) {
        self.jobs.lock().remove(&self.id);
    }
}

/// The fewest milliseconds between two progress reports of one phase.
const REPORT_EVERY: Duration = Duration::from_millis(100);

/// Passes progress on to `channel`, at most every [`REPORT_EVERY`], plus the
/// first report of each phase and the last (so the bar reaches its end).
fn throttled(channel: Channel<Progress>) -> impl Fn(Progress) + Sync {
    let last: Mutex<Option<(Instant, Phase)>> = Mutex::new(None);
    move |p: Progress| {
        let finished = p.files_done == p.files_total && p.bytes_done == p.bytes_total;
        let mut last = last.lock().unwrap_or_else(PoisonError::into_inner);
        let due = match *last {
            None => true,
            Some((at, phase)) => phase != p.phase || finished || at.elapsed() >= REPORT_EVERY,
        };
        if due {
            *last = Some((Instant::now(), p.phase));
            drop(last);
            // The window may have closed meanwhile; the job goes on regardless.
            let _ = channel.send(p);
        }
    }
}

/// Runs `f` on a blocking thread.
pub(crate) async fn blocking<T, F>(f: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| InternalError::Internal {
            detail: e.to_string(),
        })?
}

/// The name suggested for a package of the stage made today (without an
/// extension): the ZIP's file name, or the folder's.
#[tauri::command]
pub async fn package_name(
    state: State<'_, AppState>,
    dossier_id: String,
    stage_id: String,
) -> Result<String> {
    with_workspace(state, move |ws| {
        let dossier = ws.dossier(&dossier_id)?;
        Ok(package::bag_name(&dossier.program_id, &stage_id, today()))
    })
    .await
}

/// Packs a stage into a verified package at `out` (see `Workspace::pack`),
/// dated today, with the cover sheet in `lang`.
#[tauri::command]
#[allow(clippy::too_many_arguments)] // one per field of the UI's form
pub async fn pack_stage(
    state: State<'_, AppState>,
    jobs: State<'_, Jobs>,
    job_id: String,
    dossier_id: String,
    stage_id: String,
    out: PathBuf,
    format: PackFormat,
    allow_incomplete: bool,
    force: bool,
    lang: Lang,
    on_progress: Channel<Progress>,
) -> Result<PackSummary> {
    let job = jobs.start(job_id);
    let for_job = with_workspace(state, |ws| Ok(ws.for_job())).await?;
    let options = PackOptions {
        out,
        format,
        allow_incomplete,
        force,
        date: today(),
        lang,
    };
    blocking(move || {
        let ws = for_job.open()?;
        ws.pack(
            &dossier_id,
            &stage_id,
            &options,
            &throttled(on_progress),
            &job.flag,
        )
    })
    .await
}

/// Checks the package (ZIP or folder) at `path`.
///
/// In the app's own process, unlike document inspection: verify parses no
/// document, only ZIP structure and manifests, with every cost bounded
/// (deduplicated and capped manifest entries, one buffer per worker, capped
/// problem lists; FIFOs and devices never opened). The CLI's
/// `verify_hostile.rs` measures the peak RSS of the same code on manifest
/// bombs and hostile ZIPs (under 200 MiB); a package cannot take the window
/// down through it.
#[tauri::command]
pub async fn verify_package(
    jobs: State<'_, Jobs>,
    job_id: String,
    path: PathBuf,
    on_progress: Channel<Progress>,
) -> Result<VerifyReport> {
    let job = jobs.start(job_id);
    blocking(move || package::verify_with_progress(&path, &throttled(on_progress), &job.flag)).await
}

/// Asks the pack or verification `job_id` to stop; it then fails with
/// `cancelled` and leaves nothing behind. A job already over is ignored.
#[tauri::command]
pub fn cancel_pack(jobs: State<'_, Jobs>, job_id: String) {
    if let Some(flag) = jobs.lock().get(&job_id) {
        flag.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tauri::ipc::InvokeResponseBody;

    fn progress(phase: Phase, files_done: u32, bytes_done: u64) -> Progress {
        Progress {
            phase,
            bytes_done,
            bytes_total: 1000,
            files_done,
            files_total: 10,
        }
    }

    #[test]
    fn progress_is_thinned_but_every_phase_starts_and_ends() {
        let received = Arc::new(Mutex::new(Vec::<serde_json::Value>::new()));
        let sink = received.clone();
        let channel = Channel::new(move |body| {
            if let InvokeResponseBody::Json(json) = body {
                sink.lock()
                    .unwrap()
                    .push(serde_json::from_str(&json).unwrap());
            }
            Ok(())
        });
        let report = throttled(channel);
        for phase in [Phase::Copying, Phase::Verifying] {
            for i in 0..=100 {
                report(progress(phase, (i / 10) as u32, i * 10));
            }
        }
        let received = received.lock().unwrap();
        assert!(
            received.len() <= 8,
            "a burst of 202 reports is thinned to a few: {}",
            received.len()
        );
        let seen = |phase: &str, bytes: u64| {
            received
                .iter()
                .any(|p| p["phase"] == phase && p["bytesDone"] == bytes)
        };
        assert!(
            seen("copying", 0) && seen("verifying", 0),
            "each phase's first report passes"
        );
        assert!(
            seen("copying", 1000) && seen("verifying", 1000),
            "each phase's last report passes, so the bar reaches its end"
        );
    }
}
