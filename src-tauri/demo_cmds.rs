//! The embassy demo, the printable checklist, undoing a removal and the
//! document preview: thin commands over the core's demo, checklist PDF and
//! vault.

use std::path::PathBuf;

use chrono::Utc;
use qujat_core::demo::DemoSummary;
use qujat_core::i18n::Lang;
use qujat_core::kind::FileKind;
use qujat_core::report::DossierReport;
use qujat_core::Error;
use qujat_core::{checklist_pdf, VaultError};
use tauri::ipc::Response;
use tauri::State;

use crate::commands::{today, with_workspace};
use crate::AppState;

type Result<T> = std::result::Result<T, Error>;

/// The largest attached document the preview reads into the window (the
/// built-in rule packs accept at most 10 MiB per file).
const PREVIEW_LIMIT: u64 = 32 * 1024 * 1024;

/// Creates a demo dossier with sample documents in `lang` and returns how
/// its items stand. Earlier demo dossiers stay (see `reset_demo`).
#[tauri::command]
pub async fn create_demo(state: State<'_, AppState>, lang: Lang) -> Result<DemoSummary> {
    with_workspace(state, move |ws| ws.create_demo(lang, Utc::now(), today())).await
}

/// Deletes every demo dossier (never a real one) and creates a fresh demo.
#[tauri::command]
pub async fn reset_demo(state: State<'_, AppState>, lang: Lang) -> Result<DemoSummary> {
    with_workspace(state, move |ws| {
        ws.reset_demo()?;
        ws.create_demo(lang, Utc::now(), today())
    })
    .await
}

/// Writes the program's checklist in `lang` as a PDF to `path` (chosen in
/// the save dialog, which already asked before replacing a file); returns
/// its number of pages. With `dossier_id`, the checklist is ticked with that
/// dossier's progress; without, it is the blank program checklist.
#[tauri::command]
pub async fn save_checklist_pdf(
    state: State<'_, AppState>,
    program_id: String,
    dossier_id: Option<String>,
    lang: Lang,
    path: PathBuf,
) -> Result<usize> {
    with_workspace(state, move |ws| match dossier_id {
        Some(dossier_id) => ws.write_dossier_checklist_pdf(&dossier_id, lang, today(), &path),
        None => {
            let pack = ws.program(&program_id)?;
            checklist_pdf::write_checklist_pdf(pack, lang, today(), &path, true)
        }
    })
    .await
}

/// Puts back a document that was just removed: the same content, from the vault.
#[tauri::command]
pub async fn reattach_document(
    state: State<'_, AppState>,
    dossier_id: String,
    requirement_id: String,
    sha256: String,
    original_name: String,
) -> Result<DossierReport> {
    with_workspace(state, move |ws| {
        ws.reattach(
            &dossier_id,
            &requirement_id,
            &sha256,
            &original_name,
            Utc::now(),
        )?;
        ws.report(&dossier_id, None, today())
    })
    .await
}

/// The bytes of the document attached to a requirement, for the in-app
/// preview: a PDF (drawn by pdf.js in the window, which treats it as
/// untrusted) or a JPEG or PNG image, of at most [`PREVIEW_LIMIT`] bytes.
/// Larger content is refused with `file-too-large`; a kind the preview
/// cannot show (DOCX, HEIC, …; the UI never asks for one) with
/// `file-too-large` and a limit of 0 bytes. Content is read through the
/// vault, never through a path.
#[tauri::command]
pub async fn document_content(
    state: State<'_, AppState>,
    dossier_id: String,
    requirement_id: String,
) -> Result<Response> {
    with_workspace(state, move |ws| {
        // The kind is known from the record, before any byte is read.
        if let Some(doc) = ws
            .documents(&dossier_id)?
            .into_iter()
            .find(|d| d.requirement_id == requirement_id)
        {
            if !previewable(doc.kind) {
                return Err(VaultError::PreviewUnavailable {
                    name: doc.original_name,
                    kind: doc.kind.label().to_owned(),
                }
                .into());
            }
        }
        let (_, bytes) = ws.document_content(&dossier_id, &requirement_id, PREVIEW_LIMIT)?;
        Ok(Response::new(bytes))
    })
    .await
}

/// The kinds the preview shows: PDF pages and the two image formats every
/// webview decodes.
fn previewable(kind: FileKind) -> bool {
    matches!(kind, FileKind::Pdf | FileKind::Jpeg | FileKind::Png)
}
